package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// Provider-defined functions came with Terraform 1.8 and OpenTofu 1.7 (tfversion compares
// OpenTofu's own version numbers, so one check serves both).
var multipartPartsFunctionVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

type multipartPlanResult struct {
	PartSize   int64               `tfsdk:"part_size"`
	PartsCount int64               `tfsdk:"parts_count"`
	Parts      []multipartPlanPart `tfsdk:"parts"`
}

type multipartPlanPart struct {
	PartNumber int64 `tfsdk:"part_number"`
	StartByte  int64 `tfsdk:"start_byte"`
	EndByte    int64 `tfsdk:"end_byte"`
	PartSize   int64 `tfsdk:"part_size"`
}

// runMultipartParts calls the function as the framework's server does.
func runMultipartParts(t *testing.T, size int64) (multipartPlanResult, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	resp := function.RunResponse{Result: function.NewResultData(types.ObjectUnknown(multipartPlanAttrTypes))}
	newMultipartPartsFunction().Run(ctx, function.RunRequest{
		Arguments: function.NewArgumentsData([]attr.Value{types.Int64Value(size)}),
	}, &resp)
	if resp.Error != nil {
		return multipartPlanResult{}, resp.Error
	}
	obj, ok := resp.Result.Value().(types.Object)
	if !ok {
		t.Fatalf("the result is a %T, not an object", resp.Result.Value())
	}
	var plan multipartPlanResult
	if diags := obj.As(ctx, &plan, basetypes.ObjectAsOptions{}); diags.HasError() {
		t.Fatal(diags)
	}
	return plan, nil
}

// The function must give the figures of the multipart URLs themselves, on both sides of every
// threshold of the server's part-size formula (multipartThresholdSizes says where the figures
// are checked against the real server's).
func TestMultipartPartsFunctionMatchesTheURLs(t *testing.T) {
	env := newTestEnv(t)
	// Azure signs one SAS for all parts, which keeps the 5 TiB case cheap.
	secret := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=cGFydHM=", BucketName: "models",
	})
	client, err := luml.New(luml.Config{BaseURL: env.URL, APIKey: env.APIKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range multipartThresholdSizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			upload, err := client.MultipartUploadURLs(context.Background(), luml.MultipartRequest{
				BucketSecretID: secret.ID, BucketLocation: "models/model.luml", Size: size,
			})
			if err != nil {
				t.Fatal(err)
			}
			plan, funcErr := runMultipartParts(t, size)
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			if plan.PartsCount != int64(len(upload.Parts)) {
				t.Fatalf("parts_count %d; the URLs have %d parts", plan.PartsCount, len(upload.Parts))
			}
			if plan.PartSize != upload.Parts[0].PartSize {
				t.Errorf("part_size %d; the URLs' first part has %d bytes", plan.PartSize, upload.Parts[0].PartSize)
			}
			if len(plan.Parts) != len(upload.Parts) {
				t.Fatalf("%d parts; the URLs have %d", len(plan.Parts), len(upload.Parts))
			}
			for i, p := range upload.Parts {
				want := multipartPlanPart{PartNumber: p.PartNumber, StartByte: p.StartByte, EndByte: p.EndByte, PartSize: p.PartSize}
				if plan.Parts[i] != want {
					t.Fatalf("part %d is %+v; the URL's part is %+v", i+1, plan.Parts[i], want)
				}
			}
		})
	}
}

func TestMultipartPartsFunctionRefusesSizesOutsideTheLimits(t *testing.T) {
	for _, size := range []int64{-1, 0, luml.MaxUploadSize + 1} {
		_, funcErr := runMultipartParts(t, size)
		if funcErr == nil {
			t.Fatalf("size %d: no error", size)
		}
		if funcErr.FunctionArgument == nil || *funcErr.FunctionArgument != 0 {
			t.Errorf("size %d: the error does not point at the size argument: %+v", size, funcErr)
		}
		// The CLI adds the full stop.
		if want := fmt.Sprintf("from 1 byte to 5 TiB (5497558138880 bytes), the largest file LUML stores; got %d", size); !strings.HasSuffix(funcErr.Text, want) {
			t.Errorf("size %d: error %q does not say %q", size, funcErr.Text, want)
		}
	}
}

// partCheck expects the part of this number, which starts at byte start and has size bytes:
// the function's parts carry their size too.
func partCheck(number, start, size int64) knownvalue.Check {
	checks := partRangeChecks(number, start, size)
	checks["part_size"] = knownvalue.Int64Exact(size)
	return knownvalue.ObjectExact(checks)
}

func TestAccMultipartPartsFunction(t *testing.T) {
	const mib = int64(1) << 20
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartPartsFunctionVersions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// No provider block: a function needs no configured provider, so no API either.
				Config: `
output "one_gib_and_a_byte" {
  value = provider::luml::multipart_parts(1073741825)
}

locals {
  five_tib = provider::luml::multipart_parts(5 * pow(1024, 4))
}

# Not the whole plan: Terraform takes seconds to show 5120 parts.
output "five_tib" {
  value = {
    part_size   = local.five_tib.part_size
    parts_count = local.five_tib.parts_count
    last        = local.five_tib.parts[length(local.five_tib.parts) - 1]
  }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("one_gib_and_a_byte", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"part_size":   knownvalue.Int64Exact(64 * mib),
						"parts_count": knownvalue.Int64Exact(17),
						"parts": knownvalue.ListPartial(map[int]knownvalue.Check{
							0:  partCheck(1, 0, 64*mib),
							15: partCheck(16, 15*64*mib, 64*mib),
							16: partCheck(17, luml.GiB, 1),
						}),
					})),
					statecheck.ExpectKnownOutputValue("five_tib", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"part_size":   knownvalue.Int64Exact(luml.GiB),
						"parts_count": knownvalue.Int64Exact(5120),
						"last":        partCheck(5120, luml.MaxUploadSize-luml.GiB, luml.GiB),
					})),
				},
			},
			{
				Config: `
output "empty" {
  value = provider::luml::multipart_parts(0)
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid value for "size"\s+parameter:\s+size\s+must\s+be\s+from\s+1\s+byte\s+to\s+5\s+TiB.*got\s+0\.(\s|$)`),
			},
			{
				Config: `
output "too_large" {
  value = provider::luml::multipart_parts(5 * pow(1024, 4) + 1)
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid value for "size"\s+parameter:.*got\s+5497558138881\.(\s|$)`),
			},
		},
	})
}
