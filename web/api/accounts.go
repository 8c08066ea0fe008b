package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) createVersion(w http.ResponseWriter, r *http.Request) error {
	pid, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	v := new(csreview.ProductVersion)
	if err := site.DecodeJSON(r, v); err != nil {
		return err
	}
	v.ID, v.ProductID = 0, pid
	if err := s.Registry.CreateProductVersion(r.Context(), v); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/products/%d/versions/%d", pid, v.ID))
	return site.WriteJSON(w, http.StatusCreated, v)
}

func (s *surface) updateVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.FindVersion(r)
	if err != nil {
		return err
	}
	id, pid := v.ID, v.ProductID
	if err := site.MergePatch(r, v); err != nil {
		return err
	}
	v.ID, v.ProductID = id, pid
	if err := s.Registry.UpdateProductVersion(r.Context(), v); err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, v)
}

func (s *surface) deleteVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.FindVersion(r)
	if err != nil {
		return err
	}
	if err := s.Registry.DeleteProductVersion(r.Context(), v.ProductID, v.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// newUserBody is a new account with its first password.
type newUserBody struct {
	csreview.User
	Password string `json:"password"`
}

func (s *surface) createUser(w http.ResponseWriter, r *http.Request) error {
	var b newUserBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	u := b.User
	u.ID = 0
	if err := s.Accounts.CreateUser(r.Context(), &u, b.Password); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%d", u.ID))
	return site.WriteJSON(w, http.StatusCreated, u)
}

func (s *surface) setDisabled(disabled bool) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := site.PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.Accounts.SetUserDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		u, err := s.Accounts.FindUserByID(r.Context(), id)
		if err != nil {
			return err
		}
		return site.WriteJSON(w, http.StatusOK, u)
	}
}

func (s *surface) me(w http.ResponseWriter, r *http.Request) error {
	return site.WriteJSON(w, http.StatusOK, csreview.UserFromContext(r.Context()))
}

func (s *surface) listTokens(w http.ResponseWriter, r *http.Request) error {
	u := csreview.UserFromContext(r.Context())
	list, err := s.Accounts.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.APIToken{}
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.APIToken]{Items: list, Total: len(list), Limit: len(list)})
}

// newTokenBody asks for a token; ttl_days 0 means no expiry.
type newTokenBody struct {
	Name    string `json:"name"`
	TTLDays int    `json:"ttl_days,omitempty"`
}

// createdToken is a new token with its secret, shown this once.
type createdToken struct {
	csreview.APIToken
	Secret string `json:"secret"`
}

func (s *surface) createToken(w http.ResponseWriter, r *http.Request) error {
	var b newTokenBody
	if err := site.DecodeJSON(r, &b); err != nil && !isEmptyBody(err) {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	t, secret, err := s.Accounts.CreateToken(r.Context(), u.ID, b.Name, time.Duration(b.TTLDays)*24*time.Hour)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, createdToken{APIToken: *t, Secret: secret})
}

func isEmptyBody(err error) bool {
	e := csreview.AsError(err)
	return e != nil && len(e.Fields) == 1 && e.Fields[0].Field == "body" && e.Fields[0].Rule == "required"
}

func (s *surface) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Accounts.DeleteToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *surface) audit(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.AuditFilter{Entity: q.Str("entity"), EntityID: q.Int("entity_id"), ActorID: q.Int("actor_id"),
		Action: q.Str("action"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Accounts.FindAuditRecords(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.AuditRecord{}
	}
	p := f.Page.Normalize()
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.AuditRecord]{Items: list, Total: total, Limit: p.Limit, Offset: p.Offset})
}

func (s *surface) createBodyRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var rel csreview.BodyRelation
	if err := site.DecodeJSON(r, &rel); err != nil {
		return err
	}
	rel.ID, rel.BodyID = 0, id
	if err := s.Cases.CreateBodyRelation(r.Context(), &rel); err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, rel)
}
