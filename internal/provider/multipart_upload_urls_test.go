package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const multipartMiB = int64(1) << 20

// multipartThresholdSizes are sizes on both sides of each threshold of the server's part-size
// formula (API.md, "Multipart uploads"). The tests take the expected parts from the emulator,
// whose table TestConformance checks against the real server's answers, and compare them with
// the client's own table, which TestPartSizeMatchesTheRecordedAnswers checks: the two are
// written apart, so they meet here also at the thresholds the recorded answers do not reach.
var multipartThresholdSizes = []int64{
	1, 629145600, luml.GiB, luml.GiB + 1, 5 * luml.GiB, 5*luml.GiB + 1, 10 * luml.GiB, 10*luml.GiB + 1,
	100 * luml.GiB, 100*luml.GiB + 1, 5 * luml.TiB,
}

// insertMultipartSecret stores a secret directly in the emulator: these tests are about URLs,
// not about creating secrets.
func insertMultipartSecret(t testing.TB, env *testEnv, bucketType string) lumlfake.StoredSecret {
	t.Helper()
	return insertMultipartSecretIn(env, env.Org.ID, bucketType)
}

// insertMultipartSecretIn is insertMultipartSecret in the organization of this ID.
func insertMultipartSecretIn(env *testEnv, orgID, bucketType string) lumlfake.StoredSecret {
	secure := true
	if bucketType == "azure" {
		return env.Fake.InsertSecret(orgID, lumlfake.StoredSecret{
			Type: "azure",
			Endpoint: "DefaultEndpointsProtocol=https;AccountName=lumltest;" +
				"AccountKey=bHVtbC10ZXN0LWFjY291bnQta2V5;EndpointSuffix=core.windows.net",
			BucketName: "models",
		})
	}
	return env.Fake.InsertSecret(orgID, lumlfake.StoredSecret{
		Type:       "s3",
		Endpoint:   "s3.example.test",
		BucketName: "models",
		Region:     ptr("eu-central-1"),
		AccessKey:  ptr("AKIAEXAMPLE"),
		SecretKey:  ptr("example-secret-key"),
		Secure:     &secure,
	})
}

func newMultipartTestClient(t testing.TB, baseURL, apiKey string) *luml.Client {
	t.Helper()
	client, err := luml.New(luml.Config{BaseURL: baseURL, APIKey: apiKey})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func multipartConfiguredModel(secretID string, size int64, uploadID *string) multipartUploadURLsModel {
	return multipartUploadURLsModel{
		BucketSecretID: types.StringValue(secretID),
		BucketLocation: types.StringValue("models/model.luml"),
		Size:           types.Int64Value(size),
		UploadID:       types.StringPointerValue(uploadID),
	}
}

// multipartConvertedPart is an element of parts, with its URL from part_urls.
type multipartConvertedPart struct {
	PartNumber int64  `tfsdk:"part_number"`
	StartByte  int64  `tfsdk:"start_byte"`
	EndByte    int64  `tfsdk:"end_byte"`
	URL        string `tfsdk:"-"`
}

func TestMultipartPartsMatchServerFormula(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "s3")
	client := newMultipartTestClient(t, env.URL, env.APIKey)

	for _, size := range multipartThresholdSizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			upload, err := client.MultipartUploadURLs(ctx, luml.MultipartRequest{
				BucketSecretID: secret.ID, BucketLocation: "models/model.luml", Size: size, UploadID: ptr("upload-1"),
			})
			if err != nil {
				t.Fatal(err)
			}
			serverPartSize, partsCount := upload.Parts[0].PartSize, int64(len(upload.Parts))
			if partsCount > 1 && luml.PartSize(size) != serverPartSize {
				t.Errorf("luml.PartSize(%d) = %d; the server's parts are %d bytes", size, luml.PartSize(size), serverPartSize)
			}
			value, err := multipartUploadURLsValue(multipartConfiguredModel(secret.ID, size, ptr("upload-1")), env.Org.ID, upload)
			if err != nil {
				t.Fatal(err)
			}
			m, parts := decodeMultipartResult(t, value)
			if m.Type.ValueString() != "s3" || m.UploadID.ValueString() != "upload-1" || m.Size.ValueInt64() != size {
				t.Errorf("type %s, upload_id %s, size %s; want s3, upload-1, %d", m.Type, m.UploadID, m.Size, size)
			}
			if m.PartSize.ValueInt64() != serverPartSize || m.PartsCount.ValueInt64() != partsCount {
				t.Errorf("part_size %d, parts_count %d; the server's are %d, %d",
					m.PartSize.ValueInt64(), m.PartsCount.ValueInt64(), serverPartSize, partsCount)
			}
			if int64(len(parts)) != partsCount {
				t.Fatalf("%d parts; the server's are %d", len(parts), partsCount)
			}
			checkMultipartPartsCover(t, parts, size, serverPartSize)
		})
	}
}

// decodeMultipartResult reads a result back through the schema, as Terraform would.
func decodeMultipartResult(t *testing.T, value tftypes.Value) (multipartUploadURLsModel, []multipartConvertedPart) {
	t.Helper()
	ctx := context.Background()
	var schemaResp ephemeral.SchemaResponse
	newMultipartUploadURLsEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &schemaResp)
	result := tfsdk.EphemeralResultData{Schema: schemaResp.Schema, Raw: value}
	var m multipartUploadURLsModel
	diags := result.Get(ctx, &m)
	var parts []multipartConvertedPart
	var urls []string
	if !diags.HasError() {
		diags.Append(m.Parts.ElementsAs(ctx, &parts, false)...)
		diags.Append(m.PartURLs.ElementsAs(ctx, &urls, false)...)
	}
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(urls) != len(parts) {
		t.Fatalf("%d part URLs for %d parts", len(urls), len(parts))
	}
	for i := range parts {
		parts[i].URL = urls[i]
	}
	return m, parts
}

// checkMultipartPartsCover checks that the parts are numbered from 1, contiguous, all of partSize
// bytes but the last, and cover exactly size bytes.
func checkMultipartPartsCover(t *testing.T, parts []multipartConvertedPart, size, partSize int64) {
	t.Helper()
	next := int64(0)
	for i, p := range parts {
		want := min(partSize, size-next)
		if p.PartNumber != int64(i+1) || p.StartByte != next || p.EndByte != next+want-1 {
			t.Fatalf("part %d: number %d, bytes %d-%d; want number %d, bytes %d-%d",
				i, p.PartNumber, p.StartByte, p.EndByte, i+1, next, next+want-1)
		}
		if !strings.Contains(p.URL, "X-Amz-Signature=") || !strings.Contains(p.URL, fmt.Sprintf("partNumber=%d", i+1)) {
			t.Fatalf("part %d: the URL is not a presigned part URL", i+1)
		}
		next += want
	}
	if next != size {
		t.Fatalf("the parts cover %d bytes, want %d", next, size)
	}
}

func TestMultipartConversionAzure(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "azure")
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: env.Org.ID}}

	// Azure answers without upload_id; a configured one is kept, with a warning that it is ignored.
	for _, uploadID := range []*string{nil, ptr("ignored")} {
		var diags diag.Diagnostics
		value := fetchMultipartUploadURLs(ctx, pd, multipartConfiguredModel(secret.ID, 70*multipartMiB, uploadID), &diags)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if warned := diags.WarningsCount() == 1; warned != (uploadID != nil) {
			t.Errorf("upload_id %v: warnings %v", uploadID != nil, diags)
		}
		m, parts := decodeMultipartResult(t, value)
		wantUploadID := types.StringPointerValue(uploadID)
		if m.Type.ValueString() != "azure" || !m.UploadID.Equal(wantUploadID) || m.PartsCount.ValueInt64() != 3 {
			t.Errorf("type %s, upload_id %s, parts_count %s; want azure, %s, 3", m.Type, m.UploadID, m.PartsCount, wantUploadID)
		}
		if !strings.Contains(parts[0].URL, "comp=block") || !strings.Contains(m.CompleteURL.ValueString(), "comp=blocklist") {
			t.Error("the URLs are not Azure block and block-list URLs")
		}
	}
}

func TestMultipartConversionRejectsInconsistentParts(t *testing.T) {
	part := func(n, start, end int64) luml.UploadPart {
		return luml.UploadPart{PartNumber: n, StartByte: start, EndByte: end, PartSize: end - start + 1}
	}
	tests := map[string][]luml.UploadPart{
		"no parts":       nil,
		"gap":            {part(1, 0, 9), part(2, 11, 19)},
		"overlap":        {part(1, 0, 9), part(2, 9, 19)},
		"numbering":      {part(1, 0, 9), part(3, 10, 19)},
		"short coverage": {part(1, 0, 9), part(2, 10, 18)},
		"long coverage":  {part(1, 0, 9), part(2, 10, 20)},
		"wrong size":     {part(1, 0, 9), {PartNumber: 2, StartByte: 10, EndByte: 19, PartSize: 11}},
	}
	for name, parts := range tests {
		t.Run(name, func(t *testing.T) {
			config := multipartConfiguredModel(multipartUnknownSecretID, 20, ptr("upload-1"))
			if _, err := multipartUploadURLsValue(config, multipartUnknownSecretID, &luml.MultipartUpload{Type: "s3", Parts: parts}); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestMultipartSchemasAgree checks that the ephemeral resource and the data source expose the
// same attributes, with the URLs sensitive in both.
func TestMultipartSchemasAgree(t *testing.T) {
	ctx := context.Background()
	var ephResp ephemeral.SchemaResponse
	newMultipartUploadURLsEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &ephResp)
	var dsResp datasource.SchemaResponse
	newMultipartUploadURLsDataSource().Schema(ctx, datasource.SchemaRequest{}, &dsResp)
	if diags := append(ephResp.Schema.ValidateImplementation(ctx), dsResp.Schema.ValidateImplementation(ctx)...); diags.HasError() {
		t.Fatal(diags)
	}
	if ephType := ephResp.Schema.Type().TerraformType(ctx); !ephType.Equal(multipartUploadURLsType) {
		t.Errorf("the ephemeral resource's type %s differs from the results' %s", ephType, multipartUploadURLsType)
	}
	if dsType := dsResp.Schema.Type().TerraformType(ctx); !dsType.Equal(multipartUploadURLsType) {
		t.Errorf("the data source's type %s differs from the results' %s", dsType, multipartUploadURLsType)
	}
	// One sensitive mark per attribute, whatever the number of parts: Terraform's cost of
	// sensitive values grows quadratically with the number of marked paths.
	isSensitive := map[string]func(path.Path) (bool, diag.Diagnostics){
		"ephemeral resource": func(p path.Path) (bool, diag.Diagnostics) {
			a, diags := ephResp.Schema.AttributeAtPath(ctx, p)
			return !diags.HasError() && a.IsSensitive(), diags
		},
		"data source": func(p path.Path) (bool, diag.Diagnostics) {
			a, diags := dsResp.Schema.AttributeAtPath(ctx, p)
			return !diags.HasError() && a.IsSensitive(), diags
		},
	}
	for name, sensitiveAt := range isSensitive {
		var sensitive []string
		for _, p := range multipartSchemaPaths(multipartUploadURLsType, path.Empty()) {
			marked, diags := sensitiveAt(p)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if marked {
				sensitive = append(sensitive, p.String())
			}
		}
		slices.Sort(sensitive)
		if want := []string{"complete_url", "part_urls"}; !slices.Equal(sensitive, want) {
			t.Errorf("%s: sensitive attributes %v, want %v", name, sensitive, want)
		}
	}
	if !strings.Contains(dsResp.Schema.MarkdownDescription, "stored in the Terraform state") {
		t.Error("the data source's description does not warn that its URLs are stored in the state")
	}
}

// multipartFiveTiBUpload is a 5120-part answer of the emulator, fetched once.
func multipartFiveTiBUpload(tb testing.TB) (*luml.MultipartUpload, string) {
	tb.Helper()
	env := newTestEnv(tb)
	secret := insertMultipartSecret(tb, env, "s3")
	upload, err := newMultipartTestClient(tb, env.URL, env.APIKey).MultipartUploadURLs(context.Background(), luml.MultipartRequest{
		BucketSecretID: secret.ID, BucketLocation: "models/model.luml", Size: 5 * luml.TiB, UploadID: ptr("upload-1"),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return upload, secret.ID
}

// BenchmarkMultipartConversion5TiB measures the provider's share of opening the ephemeral
// resource for the largest file: from the API's answer to the Terraform result value.
func BenchmarkMultipartConversion5TiB(b *testing.B) {
	upload, secretID := multipartFiveTiBUpload(b)
	config := multipartConfiguredModel(secretID, 5*luml.TiB, ptr("upload-1"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := multipartUploadURLsValue(config, "org", upload); err != nil {
			b.Fatal(err)
		}
	}
}

// multipartSchemaPaths lists the path of every attribute of an object type, nested ones
// through the first element of their list.
func multipartSchemaPaths(t tftypes.Object, prefix path.Path) []path.Path {
	var out []path.Path
	for name, attrType := range t.AttributeTypes {
		p := prefix.AtName(name)
		out = append(out, p)
		if list, ok := attrType.(tftypes.List); ok {
			if element, ok := list.ElementType.(tftypes.Object); ok {
				out = append(out, multipartSchemaPaths(element, p.AtListIndex(0))...)
			}
		}
	}
	return out
}
