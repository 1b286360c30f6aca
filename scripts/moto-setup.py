#!/usr/bin/env python3
"""Turns a freshly started moto_server into an S3 service that checks signatures.

Usage: moto-setup.py ENDPOINT BUCKET CREDENTIALS_FILE

moto_server, started with INITIAL_NO_AUTH_ACTION_COUNT=3, accepts any request for
its first three authenticated actions and verifies SigV4 (against the access keys
its IAM knows) from then on. This script spends exactly those three actions on IAM:
CreateUser, PutUserPolicy (s3:* on everything) and CreateAccessKey. It then
creates BUCKET signed with the new key, proves that a wrong secret and an unknown
access key are refused, and writes the key pair to CREDENTIALS_FILE as
KEY=VALUE lines:

  AWS_ACCESS_KEY_ID=...
  AWS_SECRET_ACCESS_KEY=...
  AWS_REGION=us-east-1
  AWS_ENDPOINT_URL=http://127.0.0.1:PORT
  WEIR_TEST_S3_BUCKET=BUCKET
"""

import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# The three unauthenticated actions moto_server must be started to allow.
NO_AUTH_ACTIONS = 3
REGION = "us-east-1"
USER = "weir-test"


def client(service, endpoint, key_id, secret):
    config = Config(
        # One attempt each: a retry would spend another of the unauthenticated actions.
        retries={"max_attempts": 1, "mode": "standard"},
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key_id, aws_secret_access_key=secret, config=config)


def expect_refused(s3, bucket, expected_code, what):
    try:
        s3.list_objects_v2(Bucket=bucket)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        if status != 403 or code != expected_code:
            sys.exit(f"moto-setup: {what} was refused with {status} {code}, expected 403 {expected_code}")
        return
    sys.exit(f"moto-setup: {what} was accepted; signature checking is not on")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    endpoint, bucket, credentials_file = sys.argv[1:]

    iam = client("iam", endpoint, "bootstrap", "bootstrap")
    iam.create_user(UserName=USER)
    iam.put_user_policy(
        UserName=USER, PolicyName="s3-all",
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }))
    key = iam.create_access_key(UserName=USER)["AccessKey"]
    key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]

    # From here on every request is checked.
    s3 = client("s3", endpoint, key_id, secret)
    s3.create_bucket(Bucket=bucket)
    expect_refused(client("s3", endpoint, key_id, secret[:-1] + ("A" if secret[-1] != "A" else "B")),
                   bucket, "SignatureDoesNotMatch", "a wrong secret")
    expect_refused(client("s3", endpoint, "AKIAUNKNOWNKEY000000", secret),
                   bucket, "InvalidAccessKeyId", "an unknown access key")

    temporary = credentials_file + ".tmp"
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        out.write(f"AWS_ACCESS_KEY_ID={key_id}\n")
        out.write(f"AWS_SECRET_ACCESS_KEY={secret}\n")
        out.write(f"AWS_REGION={REGION}\n")
        out.write(f"AWS_ENDPOINT_URL={endpoint}\n")
        out.write(f"WEIR_TEST_S3_BUCKET={bucket}\n")
    os.replace(temporary, credentials_file)


if __name__ == "__main__":
    main()
