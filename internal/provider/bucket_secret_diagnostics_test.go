package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const secretType = "luml_bucket_secret"

// stateOf is the state of a secret as the provider keeps it, with what a refresh or destroy
// reads from it.
func (p *protoProvider) stateOf(secret lumlfake.StoredSecret) *tfprotov6.DynamicValue {
	return p.value(p.schema.ResourceSchemas[secretType], map[string]tftypes.Value{
		"id": str(secret.ID), "organization_id": str(secret.OrganizationID), "type": str(string(secret.Type)),
		"endpoint": str(secret.Endpoint), "bucket_name": str(secret.BucketName), "region": str(*secret.Region),
	})
}

// refresh reads a secret as terraform plan and refresh do.
func (p *protoProvider) refresh(secret lumlfake.StoredSecret) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: secretType, CurrentState: p.stateOf(secret),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// destroy deletes a secret as terraform destroy does once the plan is made.
func (p *protoProvider) destroy(secret lumlfake.StoredSecret) []*tfprotov6.Diagnostic {
	p.t.Helper()
	s := p.schema.ResourceSchemas[secretType]
	none, err := tfprotov6.NewDynamicValue(s.ValueType(), tftypes.NewValue(s.ValueType(), nil))
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := p.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: secretType, PriorState: p.stateOf(secret), PlannedState: &none, Config: &none,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// A 403 on refresh, destroy or create says which organization it concerns and which role the key's
// user needs there.
func TestForbiddenNamesOrganizationAndRole(t *testing.T) {
	e := newTestEnv(t)
	beta := e.joinOrganization("Beta", lumlfake.RoleMember) // was an admin when the secret was made
	gamma := e.Fake.AddOrganization("Gamma")                // the key's user never belonged to it
	stored := func(orgID string) lumlfake.StoredSecret {
		return e.Fake.InsertSecret(orgID, lumlfake.StoredSecret{
			Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		})
	}
	inBeta, inGamma := stored(beta.ID), stored(gamma.ID)

	p := newProtoProvider(t)
	if diags := p.configure(e.URL, e.APIKey, e.Org.ID); len(diags) > 0 {
		t.Fatalf("configure: %s: %s", diags[0].Summary, diags[0].Detail)
	}
	// The facts a user needs: the organization, the role the user has, and who may grant the
	// one needed; for an organization the user is not in, how to let go of the secret.
	member := []string{"403", `"Beta"`, beta.ID, "member", "owner", "admin"}
	stranger := []string{"403", gamma.ID, "not a member", "terraform state rm"}

	t.Run("refresh, member", func(t *testing.T) {
		checkRefusal(t, p.refresh(inBeta), refusal{summary: []string{"read", "bucket secret"}, mentions: member}, e.APIKey)
	})
	t.Run("destroy, member", func(t *testing.T) {
		checkRefusal(t, p.destroy(inBeta), refusal{summary: []string{"delete", "bucket secret"}, mentions: member}, e.APIKey)
	})
	t.Run("refresh, not a member", func(t *testing.T) {
		checkRefusal(t, p.refresh(inGamma), refusal{summary: []string{"read", "bucket secret"}, mentions: stranger}, e.APIKey)
	})
	t.Run("destroy, not a member", func(t *testing.T) {
		checkRefusal(t, p.destroy(inGamma), refusal{summary: []string{"delete", "bucket secret"}, mentions: stranger}, e.APIKey)
	})
	t.Run("create, member", func(t *testing.T) {
		diags := p.create(secretType, map[string]tftypes.Value{
			"organization_id": str(beta.ID), "endpoint": str("s3.eu-central-1.amazonaws.com"),
			"bucket_name": str("archive"), "region": str("eu-central-1"), "no_credentials": tftypes.NewValue(tftypes.Bool, true),
		})
		checkRefusal(t, diags, refusal{summary: []string{"create", "bucket secret"}, mentions: member}, e.APIKey)
	})
	if _, ok := e.Fake.Secret(inBeta.ID); !ok {
		t.Error("the secret of Beta was deleted")
	}
}
