package site

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/csreview/csreview"
)

func (s *Server) apiCreateVersion(w http.ResponseWriter, r *http.Request) error {
	pid, err := PathID(r, "id")
	if err != nil {
		return err
	}
	v := new(csreview.ProductVersion)
	if err := DecodeJSON(r, v); err != nil {
		return err
	}
	v.ID, v.ProductID = 0, pid
	if err := s.registry.CreateProductVersion(r.Context(), v); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/products/%d/versions/%d", pid, v.ID))
	return WriteJSON(w, http.StatusCreated, v)
}

// findVersion returns a version of a product the caller may see.
func (s *Server) findVersion(r *http.Request) (*csreview.ProductVersion, error) {
	pid, err := PathID(r, "id")
	if err != nil {
		return nil, err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return nil, err
	}
	p, err := s.registry.FindProductByID(r.Context(), pid)
	if err != nil {
		return nil, err
	}
	for _, v := range p.Versions {
		if v.ID == vid {
			return v, nil
		}
	}
	return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "product_version %d not found.", vid)
}

func (s *Server) apiUpdateVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.findVersion(r)
	if err != nil {
		return err
	}
	id, pid := v.ID, v.ProductID
	if err := mergePatch(r, v); err != nil {
		return err
	}
	v.ID, v.ProductID = id, pid
	if err := s.registry.UpdateProductVersion(r.Context(), v); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, v)
}

func (s *Server) apiDeleteVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.findVersion(r)
	if err != nil {
		return err
	}
	if err := s.registry.DeleteProductVersion(r.Context(), v.ProductID, v.ID); err != nil {
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

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	var b newUserBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	u := b.User
	u.ID = 0
	if err := s.accounts.CreateUser(r.Context(), &u, b.Password); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%d", u.ID))
	return WriteJSON(w, http.StatusCreated, u)
}

func (s *Server) apiSetDisabled(disabled bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.accounts.SetUserDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		u, err := s.accounts.FindUserByID(r.Context(), id)
		if err != nil {
			return err
		}
		return WriteJSON(w, http.StatusOK, u)
	}
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	return WriteJSON(w, http.StatusOK, csreview.UserFromContext(r.Context()))
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	u := csreview.UserFromContext(r.Context())
	list, err := s.accounts.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.APIToken{}
	}
	return WriteJSON(w, http.StatusOK, listBody[csreview.APIToken]{Items: list, Total: len(list), Limit: len(list)})
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

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var b newTokenBody
	if err := DecodeJSON(r, &b); err != nil && !isEmptyBody(err) {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	t, secret, err := s.accounts.CreateToken(r.Context(), u.ID, b.Name, time.Duration(b.TTLDays)*24*time.Hour)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, createdToken{APIToken: *t, Secret: secret})
}

func isEmptyBody(err error) bool {
	e := csreview.AsError(err)
	return e != nil && len(e.Fields) == 1 && e.Fields[0].Field == "body" && e.Fields[0].Rule == "required"
}

func (s *Server) apiDeleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.DeleteToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := csreview.AuditFilter{Entity: q.Str("entity"), EntityID: q.Int("entity_id"), ActorID: q.Int("actor_id"),
		Action: q.Str("action"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.accounts.FindAuditRecords(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.AuditRecord{}
	}
	p := f.Page.Normalize()
	return WriteJSON(w, http.StatusOK, listBody[csreview.AuditRecord]{Items: list, Total: total, Limit: p.Limit, Offset: p.Offset})
}

func (s *Server) extraMetrics(w io.Writer) {
	if s.cfg.DBStats == nil {
		return
	}
	st := s.cfg.DBStats()
	gauge(w, "csreview_db_open_connections", "Open connections of the writer pool.", float64(st.OpenConnections))
	gauge(w, "csreview_db_in_use_connections", "Connections in use.", float64(st.InUse))
	fmt.Fprintf(w, "# HELP csreview_db_wait_count_total Waits for a connection.\n# TYPE csreview_db_wait_count_total counter\ncsreview_db_wait_count_total %d\n", st.WaitCount)
}

func (s *Server) apiCreateBodyRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var rel csreview.BodyRelation
	if err := DecodeJSON(r, &rel); err != nil {
		return err
	}
	rel.ID, rel.BodyID = 0, id
	if err := s.cases.CreateBodyRelation(r.Context(), &rel); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, rel)
}
