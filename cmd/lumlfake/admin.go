package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// adminPrefix is where the emulator's own routes live, beside the API's /v1. LUML creates
// orbits in its web app, which the emulator has not: these routes attach orbits to secrets
// so that what depends on them (a refused delete, the provider's orbit warnings) can be tried.
const adminPrefix = "/_lumlfake/"

// withAdmin serves the admin routes in front of api, to loopback clients only: the emulator
// may listen on every interface, and these routes need no API key.
func withAdmin(api *lumlfake.Server, orgID string) http.Handler {
	admin := http.NewServeMux()
	admin.HandleFunc("POST "+adminPrefix+"orbits", func(w http.ResponseWriter, r *http.Request) {
		addOrbit(w, r, api, orgID)
	})
	admin.HandleFunc("GET "+adminPrefix+"orbits", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, orbitsOut(api.Orbits(orgID)))
	})
	admin.HandleFunc("DELETE "+adminPrefix+"orbits/{id}", func(w http.ResponseWriter, r *http.Request) {
		api.RemoveOrbit(r.PathValue("id"))
		w.WriteHeader(http.StatusNoContent)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, adminPrefix) {
			api.ServeHTTP(w, r)
			return
		}
		if !fromLoopback(r) {
			writeJSON(w, http.StatusForbidden, map[string]string{"detail": "the emulator's admin routes answer loopback clients only"})
			return
		}
		admin.ServeHTTP(w, r)
	})
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// addOrbit attaches an orbit named ?name= (default "orbit") to the secret of ?bucket_secret_id=,
// or to the only secret with ?bucket_name=.
func addOrbit(w http.ResponseWriter, r *http.Request, api *lumlfake.Server, orgID string) {
	q := r.URL.Query()
	name := q.Get("name")
	if name == "" {
		name = "orbit"
	}
	var matches []lumlfake.StoredSecret
	for _, s := range api.Secrets(orgID) {
		if (q.Has("bucket_secret_id") && strings.EqualFold(s.ID, q.Get("bucket_secret_id"))) ||
			(q.Has("bucket_name") && s.BucketName == q.Get("bucket_name")) {
			matches = append(matches, s)
		}
	}
	switch {
	case q.Has("bucket_secret_id") == q.Has("bucket_name"):
		writeJSON(w, http.StatusBadRequest, map[string]string{"detail": "give exactly one of bucket_secret_id and bucket_name"})
	case len(matches) == 0:
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "no bucket secret of the organization matches"})
	case len(matches) > 1:
		writeJSON(w, http.StatusConflict, map[string]string{"detail": "several bucket secrets have this bucket name: give bucket_secret_id"})
	default:
		writeJSON(w, http.StatusCreated, orbitOut(api.AddOrbit(orgID, matches[0].ID, name)))
	}
}

type orbitJSON struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	BucketSecretID string `json:"bucket_secret_id"`
}

func orbitOut(o lumlfake.Orbit) orbitJSON {
	return orbitJSON{ID: o.ID, Name: o.Name, BucketSecretID: o.BucketSecretID}
}

func orbitsOut(orbits []lumlfake.Orbit) []orbitJSON {
	out := make([]orbitJSON, 0, len(orbits))
	for _, o := range orbits {
		out = append(out, orbitOut(o))
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
