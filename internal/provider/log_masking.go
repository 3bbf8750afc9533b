package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger sends the client's debug lines to tflog with the given secrets masked, in
// messages and in every field, whatever context the line comes from.
type tflogLogger struct {
	secrets []string
}

func (tflogLogger) DebugEnabled(ctx context.Context) bool { return tflog.IsDebug(ctx) }

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(maskCredentials(ctx, l.secrets), msg, fields)
}

// maskCredentials hides the credential values in every log line written with ctx.
func maskCredentials(ctx context.Context, credentials []string) context.Context {
	credentials = nonEmpty(credentials...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, credentials...)
	return tflog.MaskMessageStrings(ctx, credentials...)
}

func nonEmpty(values ...string) []string {
	out := values[:0:0]
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
