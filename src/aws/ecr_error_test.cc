#include <gtest/gtest.h>

#include "aws/ecr.h"
#include "util/redact.h"

using namespace lava::aws;

namespace {
lava::http::Response answer(long status, const std::string& body, const std::string& type = "") {
  lava::http::Response r;
  r.status = status;
  r.body = body;
  if (!type.empty()) r.headers.set("x-amzn-ErrorType", type);
  return r;
}
AwsCredentials creds() {
  return {"AKIDTEST", "secret-key-value", "", "profile dev", {}};
}
}  // namespace

TEST(EcrErrors, EachKnownErrorIsOneClearLine) {
  auto e = aws_error(
      "CreateRepository", "eu-west-2", creds(),
      answer(
          400,
          R"({"__type":"AccessDeniedException","message":"User: arn:aws:iam::1:user/x is not authorized to perform: ecr:CreateRepository"})"));
  EXPECT_EQ(e.code(), "AccessDeniedException");
  EXPECT_EQ(std::string(e.what()),
            "ECR CreateRepository (eu-west-2): access denied for the credentials from profile dev: "
            "User: arn:aws:iam::1:user/x is not authorized to perform: ecr:CreateRepository");
  e = aws_error(
      "DescribeRepositories", "eu-west-2", creds(),
      answer(
          400,
          R"({"__type":"com.amazonaws.ecr#RepositoryNotFoundException","message":"The repository with name 'x' does not exist"})"));
  EXPECT_EQ(e.code(), "RepositoryNotFoundException");
  e = aws_error(
      "GetAuthorizationToken", "eu-west-2", creds(),
      answer(403, R"({"message":"The security token included in the request is expired"})",
             "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/"));
  EXPECT_EQ(e.code(), "ExpiredTokenException");
  EXPECT_NE(std::string(e.what()).find("have expired"), std::string::npos);
  e = aws_error(
      "DescribeRegistry", "ap-east-1", creds(),
      answer(
          400,
          R"({"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."})"));
  EXPECT_NE(std::string(e.what()).find("region ap-east-1 is not enabled"), std::string::npos)
      << e.what();
  e = aws_error("DeleteRepository", "eu-west-2", creds(), answer(500, "<html>\nboom</html>"));
  EXPECT_EQ(std::string(e.what()), "ECR DeleteRepository (eu-west-2): HTTP 500");
}

TEST(EcrEndpoint, EnvironmentOverrides) {
  ::unsetenv("AWS_ENDPOINT_URL_ECR");
  ::unsetenv("AWS_ENDPOINT_URL");
  EXPECT_EQ(ecr_endpoint("eu-west-2"), "https://api.ecr.eu-west-2.amazonaws.com");
  EXPECT_EQ(ecr_endpoint("cn-north-1"), "https://api.ecr.cn-north-1.amazonaws.com.cn");
  ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9/", 1);
  EXPECT_EQ(ecr_endpoint("eu-west-2"), "http://127.0.0.1:9");
  ::setenv("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:8", 1);
  EXPECT_EQ(ecr_endpoint("eu-west-2"), "http://127.0.0.1:8");
  ::unsetenv("AWS_ENDPOINT_URL_ECR");
  ::unsetenv("AWS_ENDPOINT_URL");
}
