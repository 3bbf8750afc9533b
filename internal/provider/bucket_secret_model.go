package provider

import (
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// bucketSecretAttributes are the attributes of a bucket secret that the API returns, shared
// by the resource and both data sources. The endpoint is not among them: the resource keeps
// the configured spelling, and for Azure it is a connection string that only the resource
// may hold.
type bucketSecretAttributes struct {
	ID             types.String      `tfsdk:"id"`
	OrganizationID types.String      `tfsdk:"organization_id"`
	Type           types.String      `tfsdk:"type"`
	BucketName     types.String      `tfsdk:"bucket_name"`
	Region         types.String      `tfsdk:"region"`
	Secure         types.Bool        `tfsdk:"secure"`
	CertCheck      types.Bool        `tfsdk:"cert_check"`
	Orbits         types.List        `tfsdk:"orbits"`
	CreatedAt      timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt      timetypes.RFC3339 `tfsdk:"updated_at"`
}

type bucketSecretResourceModel struct {
	bucketSecretAttributes
	Endpoint             types.String   `tfsdk:"endpoint"`
	ConnectionString     types.String   `tfsdk:"connection_string"`
	ConnectionStringWO   types.String   `tfsdk:"connection_string_wo"`
	AccessKey            types.String   `tfsdk:"access_key"`
	SecretKey            types.String   `tfsdk:"secret_key"`
	SessionToken         types.String   `tfsdk:"session_token"`
	AccessKeyWO          types.String   `tfsdk:"access_key_wo"`
	SecretKeyWO          types.String   `tfsdk:"secret_key_wo"`
	SessionTokenWO       types.String   `tfsdk:"session_token_wo"`
	CredentialsWOVersion types.Int64    `tfsdk:"credentials_wo_version"`
	VerifyConnection     types.Bool     `tfsdk:"verify_connection"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

type bucketSecretIdentityModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
}

// bucketSecretDataSourceModel is a secret as the data sources show it: no credentials.
type bucketSecretDataSourceModel struct {
	bucketSecretAttributes
	Endpoint types.String `tfsdk:"endpoint"`
}

var orbitAttrTypes = map[string]attr.Type{
	"id":   types.StringType,
	"name": types.StringType,
}

var orbitObjectType = types.ObjectType{AttrTypes: orbitAttrTypes}

func bucketTypeNames() []string {
	names := make([]string, len(luml.BucketTypes))
	for i, t := range luml.BucketTypes {
		names[i] = string(t)
	}
	return names
}

func bucketSecretAttributesFromAPI(s *luml.BucketSecret) bucketSecretAttributes {
	orbits := make([]attr.Value, len(s.Orbits))
	for i, o := range s.Orbits {
		orbits[i] = types.ObjectValueMust(orbitAttrTypes, map[string]attr.Value{
			"id":   types.StringValue(o.ID),
			"name": types.StringValue(o.Name),
		})
	}
	return bucketSecretAttributes{
		ID:             types.StringValue(s.ID),
		OrganizationID: types.StringValue(s.OrganizationID),
		Type:           types.StringValue(string(s.Type)),
		BucketName:     types.StringValue(s.BucketName),
		Region:         types.StringPointerValue(s.Region),
		Secure:         types.BoolPointerValue(s.Secure),
		CertCheck:      types.BoolPointerValue(s.CertCheck),
		Orbits:         types.ListValueMust(orbitObjectType, orbits),
		CreatedAt:      rfc3339Value(&s.CreatedAt),
		UpdatedAt:      rfc3339Value(s.UpdatedAt),
	}
}

// rfc3339Value keeps the server's microseconds, which timetypes' time constructors drop.
func rfc3339Value(t *time.Time) timetypes.RFC3339 {
	if t == nil || t.IsZero() {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.RFC3339{StringValue: types.StringValue(t.UTC().Format(time.RFC3339Nano))}
}

func bucketSecretDataSourceModelFromAPI(s *luml.BucketSecret) bucketSecretDataSourceModel {
	endpoint := types.StringValue(s.Endpoint)
	if s.Type == luml.BucketTypeAzure {
		// An Azure endpoint is a connection string with the account key in it.
		endpoint = types.StringNull()
	}
	return bucketSecretDataSourceModel{bucketSecretAttributes: bucketSecretAttributesFromAPI(s), Endpoint: endpoint}
}

// fromAPI copies what the API returned into the model. Credentials are never returned and
// stay as they are. The endpoint keeps its prior spelling when the server's is the same
// endpoint without the scheme.
func (m *bucketSecretResourceModel) fromAPI(s *luml.BucketSecret, prior bucketSecretResourceModel) {
	m.bucketSecretAttributes = bucketSecretAttributesFromAPI(s)
	if s.Type == luml.BucketTypeAzure {
		m.Endpoint = types.StringNull()
		// The connection string is readable: follow it where the state already holds it. An
		// import cannot see the configuration, which may manage it write-only, so it leaves
		// it out of the state as it does the S3 credentials.
		if !prior.ConnectionString.IsNull() {
			m.ConnectionString = keepEndpointSpelling(prior.ConnectionString, s.Endpoint)
		}
		return
	}
	m.Endpoint = keepEndpointSpelling(prior.Endpoint, s.Endpoint)
}

// toAPI is the desired state to send: the model's values, with the write-only ones from the
// configuration (they never reach the plan). It also returns the credential values in it,
// for masking in logs.
func (m bucketSecretResourceModel) toAPI(config bucketSecretResourceModel) (luml.SecretSpec, []string) {
	if m.Type.ValueString() == string(luml.BucketTypeAzure) {
		cs := ""
		if set := firstSetValue(m.ConnectionString, config.ConnectionStringWO); set != nil {
			cs = *set
		}
		return luml.AzureSpec{ConnectionString: cs, ContainerName: m.BucketName.ValueString()}, []string{cs}
	}
	spec := luml.S3Spec{
		Endpoint:     m.Endpoint.ValueString(),
		BucketName:   m.BucketName.ValueString(),
		Region:       m.Region.ValueString(),
		AccessKey:    firstSetValue(m.AccessKey, config.AccessKeyWO),
		SecretKey:    firstSetValue(m.SecretKey, config.SecretKeyWO),
		SessionToken: firstSetValue(m.SessionToken, config.SessionTokenWO),
		Secure:       m.Secure.ValueBoolPointer(),
		CertCheck:    m.CertCheck.ValueBoolPointer(),
	}
	var credentials []string
	for _, s := range []*string{spec.AccessKey, spec.SecretKey, spec.SessionToken} {
		if s != nil {
			credentials = append(credentials, *s)
		}
	}
	return spec, credentials
}

// firstSetValue points to the first value that is neither null nor unknown, or is nil.
func firstSetValue(values ...types.String) *string {
	for _, v := range values {
		if !v.IsNull() && !v.IsUnknown() {
			s := v.ValueString()
			return &s
		}
	}
	return nil
}

func keepEndpointSpelling(prior types.String, returned string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && luml.NormalizeEndpoint(prior.ValueString()) == returned {
		return prior
	}
	return types.StringValue(returned)
}

// keepUUIDCase keeps the letter case of a configured UUID that the server returns in lower case.
func keepUUIDCase(prior types.String, returned string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), returned) {
		return prior
	}
	return types.StringValue(returned)
}

func identityOf(m bucketSecretResourceModel) bucketSecretIdentityModel {
	return bucketSecretIdentityModel{ID: m.ID, OrganizationID: types.StringValue(strings.ToLower(m.OrganizationID.ValueString()))}
}
