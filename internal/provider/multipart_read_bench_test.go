package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// BenchmarkMultipartDataSourceRead5TiB reads the data source for the largest file through the
// plugin protocol, as Terraform does: the API call (to the emulator, in this process), the
// conversion, and the framework's work on a 5120-part result.
func BenchmarkMultipartDataSourceRead5TiB(b *testing.B) {
	env := newTestEnv(b)
	secret := insertMultipartSecret(b, env, "s3")
	p := newProtoProvider(b)
	if diags := p.configure(env.URL, env.APIKey, env.Org.Name); len(diags) > 0 {
		b.Fatal(diags[0].Summary)
	}
	attrs := map[string]tftypes.Value{
		"bucket_secret_id": str(secret.ID),
		"bucket_location":  str("models/model.luml"),
		"size":             tftypes.NewValue(tftypes.Number, 5*luml.TiB),
		"upload_id":        str("upload-1"),
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range p.readDataSource("luml_multipart_upload_urls", attrs) {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatal(d.Summary)
			}
		}
	}
}
