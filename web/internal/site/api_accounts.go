package site

import (
	"fmt"
	"io"
	"net/http"

	"github.com/csreview/csreview"
)

// FindVersion returns a version of a product the caller may see.
func (s *Server) FindVersion(r *http.Request) (*csreview.ProductVersion, error) {
	pid, err := PathID(r, "id")
	if err != nil {
		return nil, err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return nil, err
	}
	p, err := s.Registry.FindProductByID(r.Context(), pid)
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

func (s *Server) extraMetrics(w io.Writer) {
	if s.cfg.DBStats == nil {
		return
	}
	st := s.cfg.DBStats()
	gauge(w, "csreview_db_open_connections", "Open connections of the writer pool.", float64(st.OpenConnections))
	gauge(w, "csreview_db_in_use_connections", "Connections in use.", float64(st.InUse))
	fmt.Fprintf(w, "# HELP csreview_db_wait_count_total Waits for a connection.\n# TYPE csreview_db_wait_count_total counter\ncsreview_db_wait_count_total %d\n", st.WaitCount)
}
