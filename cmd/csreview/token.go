package main

import (
	"context"
	"fmt"
	"time"

	"github.com/csreview/csreview/sqlstore"
)

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(e.stdout, "Usage: csreview token create --user NAME [flags]\n\nCreate API tokens. Run 'csreview token create -h' for flags.\n")
		return nil
	}
	if len(args) == 0 || args[0] != "create" {
		return usagef("use: csreview token create --user NAME")
	}
	fs := newFlags(e, "token create", "--user NAME [--name LABEL] [--days N]",
		"Create an API token for a user and print it. The token is shown this once and stored only\n"+
			"as a hash; use it as 'Authorization: Bearer <token>' with /api/v1.")
	var sf storeFlags
	sf.register(fs, e)
	user := fs.String("user", "", "username or ID of the token's owner (required)")
	name := fs.String("name", "cli", "label of the token")
	days := fs.Int("days", 90, "days until the token expires; 0 for never")
	if err := parse(fs, e, args[1:]); err != nil {
		return err
	}
	if *user == "" {
		return usagef("--user is required")
	}
	if *days < 0 {
		return usagef("--days cannot be negative")
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st := sqlstore.NewStore(db)
	actx := cliActor(ctx, e)
	u, err := findUser(actx, st, *user)
	if err != nil {
		return err
	}
	t, secret, err := st.CreateToken(actx, u.ID, *name, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	expiry := "never expires"
	if t.ExpiresAt != nil {
		expiry = "expires " + t.ExpiresAt.Format("2006-01-02")
	}
	fmt.Fprintf(e.stderr, "token %d %q for %s (%s); shown once, store it now\n", t.ID, t.Name, u.Username, expiry)
	return nil
}
