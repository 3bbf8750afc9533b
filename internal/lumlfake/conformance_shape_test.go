package lumlfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The normalization and comparison of testdata/conformance/README.md ("Normalization"),
// which the recorded answers went through before they were written.

var (
	shapeUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	shapeTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$`)
)

// decodeCorpusJSON decodes with json.Number, so that integers and fractions stay apart.
func decodeCorpusJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// shape is the README's shape(v, key).
func shape(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = shape(e, k)
		}
		return out
	case []any:
		if key == "parts" && len(x) > 3 {
			n := len(x)
			return []any{shape(x[0], ""), shape(x[1], ""), "...", shape(x[n-1], ""), fmt.Sprintf("<%d items>", n)}
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = shape(e, "")
		}
		return out
	case string:
		switch {
		case shapeUUID.MatchString(x):
			return "<uuid>"
		case shapeTime.MatchString(x):
			return "<ts>"
		case strings.HasPrefix(x, "http://"), strings.HasPrefix(x, "https://"):
			return normURL(x)
		}
	}
	return v
}

// maskedQueryKeys are the signature and clock values, which the corpus cannot pin.
var maskedQueryKeys = []string{"X-Amz-Date", "X-Amz-Signature", "se", "st", "sig"}

// normURL is the README's norm_url: the query decoded and its time and signature values masked.
func normURL(u string) string {
	scheme, rest, _ := strings.Cut(u, "://")
	rest, _, _ = strings.Cut(rest, "#")
	beforeQuery, query, _ := strings.Cut(rest, "?")
	var pairs []string
	for piece := range strings.SplitSeq(query, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		name, value = queryUnescape(name), queryUnescape(value)
		if slices.Contains(maskedQueryKeys, name) {
			value = "*"
		}
		pairs = append(pairs, name+"="+value)
	}
	return scheme + "://" + beforeQuery + "?" + strings.Join(pairs, "&")
}

// queryUnescape is Python's unquote_plus: an invalid escape stays as it is.
func queryUnescape(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if out, err := url.PathUnescape(s); err == nil {
		return out
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if out, err := url.PathUnescape(s[i : i+3]); err == nil {
				b.WriteString(out)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fillStrings replaces the placeholders in every string of v.
func fillStrings(v any, fill func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fillStrings(e, fill)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fillStrings(e, fill)
		}
		return out
	case string:
		return fill(x)
	}
	return v
}

// jsonKind is the type as Python decodes it: an integer and a fraction differ.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return "fraction"
		}
		return "integer"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// diffJSON lists where got differs from want, each as "JSON path: what differs".
func diffJSON(path string, want, got any) []string {
	if wk, gk := jsonKind(want), jsonKind(got); wk != gk {
		return []string{fmt.Sprintf("%s: want %s %s, got %s %s", path, wk, compact(want), gk, compact(got))}
	}
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		var out []string
		for _, k := range sortedKeys(w, g) {
			wv, inWant := w[k]
			gv, inGot := g[k]
			switch {
			case !inGot:
				out = append(out, fmt.Sprintf("%s.%s: missing, want %s", path, k, compact(wv)))
			case !inWant:
				out = append(out, fmt.Sprintf("%s.%s: unexpected, got %s", path, k, compact(gv)))
			default:
				out = append(out, diffJSON(path+"."+k, wv, gv)...)
			}
		}
		return out
	case []any:
		g, _ := got.([]any)
		if len(w) != len(g) {
			return []string{fmt.Sprintf("%s: want %d elements, got %d: %s", path, len(w), len(g), compact(got))}
		}
		var out []string
		for i := range w {
			out = append(out, diffJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	case json.Number:
		if !numbersEqual(w, got.(json.Number)) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, w, got)}
		}
	default:
		if want != got {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, compact(want), compact(got))}
		}
	}
	return nil
}

func numbersEqual(a, b json.Number) bool {
	x, okA := new(big.Float).SetString(a.String())
	y, okB := new(big.Float).SetString(b.String())
	return okA && okB && x.Cmp(y) == 0
}

func sortedKeys(a, b map[string]any) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// compact writes v as JSON on one line, without escaping the <, > and & of the corpus.
func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
