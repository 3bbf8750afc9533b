package clitest_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
)

func TestMain(m *testing.M) { os.Exit(clitest.Main(m)) }

// secretsConfig declares n S3 bucket secrets, bucket names prefix-0 to prefix-(n-1).
func secretsConfig(prefix string, n int) string {
	return fmt.Sprintf(`
resource "luml_bucket_secret" "s" {
  count       = %d
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "%s-${count.index}"
  region      = "eu-central-1"
  access_key  = "AKIACLITEST"
  secret_key  = "clitest-secret-key"
}
`, n, prefix)
}
