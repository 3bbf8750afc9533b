// Command terraform-provider-noop is the floor the LUML provider is measured against: the same
// plugin framework and protocol, the provider schema and the luml_bucket_secret resource schema
// (identity included) taken from the LUML provider itself, and no API. Its noop_bucket_secret
// stores nothing remote: create fills in the computed attributes, read returns the state.
package main

import (
	"context"
	"log"
	"os"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	lumlprovider "github.com/luml-ai/terraform-provider-luml/internal/provider"
	"github.com/luml-ai/terraform-provider-luml/internal/quietlog"
)

func main() {
	v, err := variantFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	if v.quiet {
		if _, err := quietlog.SwitchOff("noop", os.Getenv, os.Setenv); err != nil {
			log.Fatal(err)
		}
	}
	opts := providerserver.ServeOpts{Address: "registry.terraform.io/luml-ai/noop", ProtocolVersion: 6}
	newProvider := func() provider.Provider { return &noopProvider{luml: lumlprovider.New("bench")(), variant: v} }
	if err := providerserver.Serve(context.Background(), newProvider, opts); err != nil {
		log.Fatal(err)
	}
}

// What the LUML API would answer: the organization the LUML provider would resolve, and a
// creation time.
const (
	organizationID = "00000000-0000-4000-8000-000000000000"
	createdAt      = "2025-01-01T00:00:00Z"
)

var (
	_ provider.Provider             = &noopProvider{}
	_ resource.ResourceWithIdentity = &bucketSecret{}
)

// noopProvider borrows its schemas from the LUML provider, so that both cost Terraform and the
// framework the same per resource.
type noopProvider struct {
	luml    provider.Provider
	variant variant
}

func (p *noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (p *noopProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.luml.Schema(ctx, req, resp)
}

func (p *noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *noopProvider) Resources(ctx context.Context) []func() resource.Resource {
	luml := lumlBucketSecret(ctx, p.luml)
	if p.variant.noIdentity {
		return []func() resource.Resource{func() resource.Resource {
			return &bucketSecretWithoutIdentity{bucketSecret{luml: luml(), variant: p.variant}}
		}}
	}
	return []func() resource.Resource{func() resource.Resource { return &bucketSecret{luml: luml(), variant: p.variant} }}
}

// lumlBucketSecret finds luml_bucket_secret among the LUML provider's resources.
func lumlBucketSecret(ctx context.Context, p provider.Provider) func() resource.ResourceWithIdentity {
	for _, newResource := range p.Resources(ctx) {
		var meta resource.MetadataResponse
		r := newResource()
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "luml"}, &meta)
		if _, ok := r.(resource.ResourceWithIdentity); ok && meta.TypeName == "luml_bucket_secret" {
			return func() resource.ResourceWithIdentity {
				r, _ := newResource().(resource.ResourceWithIdentity) // checked above
				return r
			}
		}
	}
	panic("the LUML provider has no luml_bucket_secret with an identity")
}

func (p *noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// bucketSecret is luml_bucket_secret without the API.
type bucketSecret struct {
	luml    resource.ResourceWithIdentity
	variant variant
}

func (r *bucketSecret) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret"
}

func (r *bucketSecret) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.luml.Schema(ctx, req, resp)
	r.variant.apply(ctx, &resp.Schema)
}

func (r *bucketSecret) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.luml.IdentitySchema(ctx, req, resp)
}

func (r *bucketSecret) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	id := uuid.NewString()
	resp.State.Raw = fillComputed(req.Plan.Raw, id, &resp.Diagnostics)
	if resp.Identity != nil {
		resp.Identity.Raw = identity(resp.Identity.Raw.Type(), id)
	}
}

func identity(typ tftypes.Type, id string) tftypes.Value {
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":              tftypes.NewValue(tftypes.String, id),
		"organization_id": tftypes.NewValue(tftypes.String, organizationID),
	})
}

// fillComputed gives the attributes a plan left unknown the values the LUML API would return
// for a new secret.
func fillComputed(plan tftypes.Value, id string, diags *diag.Diagnostics) tftypes.Value {
	state, err := tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() || len(p.Steps()) != 1 {
			return v, nil
		}
		switch p.Steps()[0] {
		case tftypes.AttributeName("id"):
			return tftypes.NewValue(v.Type(), id), nil
		case tftypes.AttributeName("organization_id"):
			return tftypes.NewValue(v.Type(), organizationID), nil
		case tftypes.AttributeName("created_at"):
			return tftypes.NewValue(v.Type(), createdAt), nil
		case tftypes.AttributeName("orbits"):
			return tftypes.NewValue(v.Type(), []tftypes.Value{}), nil
		}
		return tftypes.NewValue(v.Type(), nil), nil // updated_at: null until the first update
	})
	if err != nil {
		diags.AddError("Unable to fill in computed attributes", err.Error())
	}
	return state
}

// Read returns the state as it is (nothing changes behind Terraform's back) and, as the LUML
// resource does, the identity: Terraform before 1.12 does not keep it in the state.
func (r *bucketSecret) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Identity != nil {
		resp.Identity.Raw = identity(resp.Identity.Raw.Type(), id)
	}
}

func (r *bucketSecret) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = fillComputed(req.Plan.Raw, "", &resp.Diagnostics)
}

func (r *bucketSecret) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// bucketSecretWithoutIdentity serves the variants without resource identity: the same methods,
// minus IdentitySchema.
type bucketSecretWithoutIdentity struct {
	r bucketSecret
}

func (w *bucketSecretWithoutIdentity) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	w.r.Metadata(ctx, req, resp)
}

func (w *bucketSecretWithoutIdentity) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	w.r.Schema(ctx, req, resp)
}

func (w *bucketSecretWithoutIdentity) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	w.r.Create(ctx, req, resp)
}

func (w *bucketSecretWithoutIdentity) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	w.r.Read(ctx, req, resp)
}

func (w *bucketSecretWithoutIdentity) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	w.r.Update(ctx, req, resp)
}

func (w *bucketSecretWithoutIdentity) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	w.r.Delete(ctx, req, resp)
}
