package luml

import (
	"context"
	"encoding/json"
)

// RawCall sends body, verbatim JSON, through the client's own machinery (headers, retries,
// logging, error decoding). Tests use it for requests the typed methods cannot express, such
// as a PATCH with omitted fields, so that the answer is surfaced exactly as the client would
// surface it. An empty body sends none.
func (c *Client) RawCall(ctx context.Context, method, path, body string, out any) error {
	r := request{method: method, path: path, out: out}
	if body != "" {
		r.body = json.RawMessage(body)
	}
	return c.do(ctx, r)
}
