package validators

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

type endpointValidator struct{}

// Endpoint checks that endpoint is a host name with an optional port, optionally after
// http:// or https://, which the server can sign URLs for.
func Endpoint() validator.String { return endpointValidator{} }

func (endpointValidator) Description(context.Context) string {
	return "must be a host name with an optional port, optionally after http:// or https://"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := endpointProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint",
			fmt.Sprintf("endpoint %q %s. Give the S3 service's host name with an optional port, such as "+
				"s3.eu-central-1.amazonaws.com or minio.example.com:9000; the bucket goes in bucket_name.",
				req.ConfigValue.ValueString(), problem))
	}
}

var hostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// endpointProblem says what is wrong with an endpoint, or "" when nothing is. The server
// stores whatever it gets, but cannot sign URLs for an endpoint with a path or a scheme it
// does not strip.
func endpointProblem(endpoint string) string {
	host := luml.NormalizeEndpoint(endpoint)
	switch {
	case host == "":
		return "is empty"
	case strings.Contains(host, "://"):
		return "has a scheme the server does not remove (only a lower-case http:// or https:// is removed)"
	case strings.ContainsAny(host, "/?#"):
		return "has a path, query or fragment"
	case !hostPattern.MatchString(host):
		return "is not a host name"
	}
	return ""
}
