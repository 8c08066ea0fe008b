package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func runUser(ctx context.Context, e *env, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "create":
		return runUserCreate(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	case "disable", "enable":
		return runUserDisable(ctx, e, sub, args[1:])
	case "-h", "--help", "-help":
		fmt.Fprint(e.stdout, userUsage)
		return nil
	case "":
		return usagef("missing subcommand: create, list, disable or enable")
	}
	return usagef("unknown subcommand %q: use create, list, disable or enable", sub)
}

const userUsage = `Usage: csreview user <subcommand> [flags]

Manage accounts.

Subcommands:
  create   create an account (the password is read from standard input)
  list     list accounts
  disable  disable an account, ending its sessions and API tokens
  enable   enable a disabled account

Run 'csreview user <subcommand> -h' for its flags.
`

func runUserCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user create", "--username NAME --role ROLE [flags] < password",
		"Create an account. The password (at least 10 characters) is the first line of standard input,\n"+
			"so that it does not appear in the process list or shell history.\n\nRoles: "+strings.Join(strs(csreview.Roles), ", "))
	var sf storeFlags
	sf.register(fs, e)
	u := &csreview.User{}
	fs.StringVar(&u.Username, "username", "", "login name (required)")
	fs.StringVar(&u.DisplayName, "name", "", "display name (default: the username)")
	fs.StringVar(&u.Email, "email", "", "email address")
	role := fs.String("role", "", "role (required)")
	fs.Int64Var(&u.SupplierID, "supplier", 0, "supplier ID, for the supplier role")
	fs.Int64Var(&u.OperatorID, "operator", 0, "operator ID, for the operator role")
	fs.Int64Var(&u.BodyID, "body", 0, "assessment body ID, for the assessor role")
	sector := fs.String("sector", "", "sector, for the regulator role")
	fs.StringVar(&u.Org, "org", "", "organisation (member unit, institution or association)")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	u.Role, u.Sector = csreview.Role(*role), csreview.Sector(*sector)
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	if err := u.Validate(); err != nil {
		return err
	}
	password, err := readPassword(e)
	if err != nil {
		return err
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := sqlstore.NewStore(db).CreateUser(cliActor(ctx, e), u, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d %s (%s)\n", u.ID, u.Username, u.Role)
	return nil
}

func readPassword(e *env) (string, error) {
	if e.stdin == nil {
		return "", usagef("give the password on standard input")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", usagef("give the password on standard input")
		}
		return "", usagef("the password is empty")
	}
	return line, nil
}

func runUserList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user list", "[flags]", "List accounts.")
	var sf storeFlags
	sf.register(fs, e)
	role := fs.String("role", "", "only this role")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if *role != "" && !csreview.Role(*role).Valid() {
		return usagef("unknown role %q: use one of %s", *role, strings.Join(strs(csreview.Roles), ", "))
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	users, total, err := sqlstore.NewStore(db).FindUsers(cliActor(ctx, e), csreview.UserFilter{Role: csreview.Role(*role),
		Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tNAME\tSTATUS\tLAST SIGN-IN")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		last := "-"
		if u.LastLoginAt != nil {
			last = u.LastLoginAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, u.DisplayName, status, last)
	}
	tw.Flush()
	if total > len(users) {
		fmt.Fprintf(e.stdout, "(%d of %d shown)\n", len(users), total)
	}
	return nil
}

func runUserDisable(ctx context.Context, e *env, sub string, args []string) error {
	fs := newFlags(e, "user "+sub, "[flags] USERNAME|ID", map[string]string{
		"disable": "Disable an account: its sessions end and its API tokens are revoked at once.",
		"enable":  "Enable a disabled account.",
	}[sub])
	var sf storeFlags
	sf.register(fs, e)
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give one username or ID")
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st := sqlstore.NewStore(db)
	actx := cliActor(ctx, e)
	u, err := findUser(actx, st, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := st.SetUserDisabled(actx, u.ID, sub == "disable"); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%sd user %d %s\n", sub, u.ID, u.Username)
	return nil
}

func findUser(ctx context.Context, st *sqlstore.Store, ref string) (*csreview.User, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return st.FindUserByID(ctx, id)
	}
	return st.FindUserByUsername(ctx, ref)
}

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}
