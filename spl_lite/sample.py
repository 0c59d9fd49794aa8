"""A seeded generator of realistic CloudTrail records: the bundled sample, and benchmark data.

    python -m spl_lite.sample --events 3000 --out spl_lite/data/cloudtrail_sample.json.gz

Read-only Describe/Get/List calls dominate, a few percent of calls fail, and the scenario of the
example hunts is injected with exact counts: IAM user ``bstoll`` logs in to the console 4 times
without MFA, ``web_admin`` gets 7 AccessDenied errors naming ``nullweb_admin``, and
``frothly_admin`` creates key pair ``BOTS`` in us-west-1.
"""
from __future__ import annotations

import argparse
import gzip
import random
import uuid
from datetime import datetime, timedelta, timezone

import orjson

ACCOUNT = "622676721278"
START = datetime(2024, 3, 4, tzinfo=timezone.utc)
REGIONS = ["us-east-1", "us-west-2", "us-east-2", "eu-west-1", "us-west-1"]
REGION_WEIGHTS = [40, 25, 15, 12, 8]
AGENTS = ["aws-cli/2.15.10 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/",
          "Boto3/1.34.20 md/Botocore#1.34.20 ua/2.0 os/linux#6.1 lang/python#3.11.6",
          "console.amazonaws.com", "aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.5",
          "Terraform/1.7.0 (+https://www.terraform.io) terraform-provider-aws/5.33.0"]

# service -> (eventSource, [(eventName, weight)]); reads dominate, as in real trails.
CATALOGUE = {
    "ec2": ("ec2.amazonaws.com", [("DescribeInstances", 30), ("DescribeVolumes", 12),
                                  ("DescribeSecurityGroups", 10), ("DescribeSubnets", 6),
                                  ("DescribeVpcs", 5), ("DescribeKeyPairs", 2), ("RunInstances", 2),
                                  ("StopInstances", 1), ("AuthorizeSecurityGroupIngress", 1)]),
    "s3": ("s3.amazonaws.com", [("ListBuckets", 12), ("GetBucketAcl", 10), ("GetBucketPolicy", 6),
                                ("GetBucketLocation", 8), ("PutBucketPolicy", 1), ("CreateBucket", 1)]),
    "iam": ("iam.amazonaws.com", [("ListUsers", 6), ("GetUser", 5), ("ListRoles", 6),
                                  ("ListAttachedRolePolicies", 4), ("GetAccountSummary", 2),
                                  ("CreateAccessKey", 1), ("AttachUserPolicy", 1)]),
    "sts": ("sts.amazonaws.com", [("GetCallerIdentity", 14), ("AssumeRole", 10)]),
    "kms": ("kms.amazonaws.com", [("Decrypt", 12), ("GenerateDataKey", 8), ("ListKeys", 2)]),
    "lambda": ("lambda.amazonaws.com", [("ListFunctions20150331", 5), ("GetFunction20150331v2", 3)]),
    "cloudtrail": ("cloudtrail.amazonaws.com", [("DescribeTrails", 3), ("LookupEvents", 3),
                                                ("GetTrailStatus", 2)]),
    "logs": ("logs.amazonaws.com", [("DescribeLogGroups", 6), ("CreateLogStream", 4)]),
}
SERVICE_WEIGHTS = {"ec2": 26, "s3": 18, "iam": 10, "sts": 14, "kms": 12, "lambda": 6,
                   "cloudtrail": 5, "logs": 9}
IAM_USERS = {"klaus": "198.51.100.23", "ops-deploy": "54.210.14.99", "ci-runner": "3.91.12.7",
             "bstoll": "198.51.100.77", "web_admin": "198.51.100.140", "frothly_admin": "192.0.2.10"}
ROLES = ["OrganizationAccountAccessRole", "lambda-exec-role", "AWSReservedSSO_AdministratorAccess_8e5c"]
ERRORS = [("AccessDenied", "User: {arn} is not authorized to perform: {action}", 5),
          ("Client.UnauthorizedOperation", "You are not authorized to perform this operation.", 3),
          ("ThrottlingException", "Rate exceeded", 2), ("NoSuchBucket", "The specified bucket does not exist", 1)]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _access_key(rng: random.Random, prefix: str) -> str:
    return prefix + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def _identity(rng: random.Random, user: str | None = None):
    """(userIdentity, source IP): an IAM user, or a session of an assumed role."""
    if user is None and rng.random() < 0.45:
        role = rng.choice(ROLES)
        session = rng.choice(["i-0a1b2c3d4e5f", "deploy", "alice@frothly.example", "bot"])
        ident = {"type": "AssumedRole", "principalId": f"AROAEXAMPLE{role[:6].upper()}:{session}",
                 "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
                 "accessKeyId": _access_key(rng, "ASIA"),
                 "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
                                                      "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                                                      "accountId": ACCOUNT, "userName": role},
                                    "attributes": {"creationDate": "2024-03-04T00:00:00Z",
                                                   "mfaAuthenticated": "false"}}}
        return ident, f"10.0.{rng.randint(0, 20)}.{rng.randint(2, 250)}"
    user = user or rng.choice([u for u in IAM_USERS if u not in ("bstoll", "web_admin", "frothly_admin")])
    ident = {"type": "IAMUser", "principalId": f"AIDA{user.upper().replace('-', '')[:12]}",
             "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}", "accountId": ACCOUNT,
             "accessKeyId": _access_key(rng, "AKIA"), "userName": user}
    return ident, IAM_USERS[user]


def _record(rng, when: datetime, source: str, name: str, ident, ip: str, region: str, **extra) -> dict:
    rec = {"eventVersion": "1.09", "userIdentity": ident,
           "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": source, "eventName": name,
           "awsRegion": region, "sourceIPAddress": ip, "userAgent": rng.choice(AGENTS),
           "requestParameters": None, "responseElements": None, "requestID": _id(rng),
           "eventID": _id(rng), "readOnly": name.startswith(("Describe", "Get", "List", "Lookup")),
           "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
           "eventCategory": "Management",
           "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                          "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com"}}
    rec.update(extra)
    return rec


def _request(rng, service: str, name: str) -> dict:
    if service == "s3":
        return {"requestParameters": {"bucketName": rng.choice(["frothly-web", "frothly-logs", "backups-2024"]),
                                      "Host": "s3.amazonaws.com"}}
    if name == "AssumeRole":
        role = rng.choice(ROLES)
        return {"requestParameters": {"roleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                                      "roleSessionName": "session"},
                "resources": [{"accountId": ACCOUNT, "type": "AWS::IAM::Role",
                               "ARN": f"arn:aws:iam::{ACCOUNT}:role/{role}"}]}
    if name in ("RunInstances", "StopInstances"):
        items = [{"instanceId": f"i-0{rng.getrandbits(48):012x}"} for _ in range(rng.randint(1, 3))]
        return {"requestParameters": {"instancesSet": {"items": items}}}
    if name == "Decrypt" or name == "GenerateDataKey":
        return {"requestParameters": {"encryptionContext": {"aws:lambda:FunctionArn": "frothly-api"}},
                "resources": [{"accountId": ACCOUNT, "type": "AWS::KMS::Key",
                               "ARN": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{_id(rng)}"}]}
    return {}


def _random_call(rng: random.Random, when: datetime) -> dict:
    service = rng.choices(list(SERVICE_WEIGHTS), weights=list(SERVICE_WEIGHTS.values()))[0]
    source, names = CATALOGUE[service]
    name = rng.choices([n for n, _ in names], weights=[w for _, w in names])[0]
    ident, ip = _identity(rng)
    region = "us-east-1" if service in ("iam", "sts") else rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
    rec = _record(rng, when, source, name, ident, ip, region, **_request(rng, service, name))
    if rng.random() < 0.035:
        code, message, _ = rng.choices(ERRORS, weights=[e[2] for e in ERRORS])[0]
        rec["errorCode"] = code
        rec["errorMessage"] = message.format(arn=ident["arn"], action=f"{service}:{name}")
    return rec


def _console_login(rng, when, user: str, mfa: bool, success: bool = True) -> dict:
    ident, ip = _identity(rng, user)
    ident = {k: v for k, v in ident.items() if k != "accessKeyId"}
    return _record(rng, when, "signin.amazonaws.com", "ConsoleLogin", ident, ip, "us-east-1",
                   eventType="AwsConsoleSignIn", readOnly=False, userAgent=AGENTS[2],
                   responseElements={"ConsoleLogin": "Success" if success else "Failure"},
                   additionalEventData={"LoginTo": "https://console.aws.amazon.com/console/home",
                                        "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"},
                   **({} if success else {"errorMessage": "Failed authentication"}))


def _scenario(rng: random.Random, at) -> list[dict]:
    """The injected story of the example hunts."""
    out = [_console_login(rng, at(0.15 + i * 0.1), "bstoll", mfa=False) for i in range(4)]
    actions = ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy",
               "iam:PutUserPolicy", "iam:AddUserToGroup", "iam:CreateAccessKey"]
    for i, action in enumerate(actions):
        ident, ip = _identity(rng, "web_admin")
        name = action.split(":")[1]
        out.append(_record(rng, at(0.62 + i * 0.004), "iam.amazonaws.com", name, ident, ip, "us-east-1",
                           requestParameters={"userName": "nullweb_admin"}, errorCode="AccessDenied",
                           errorMessage=f"User: {ident['arn']} is not authorized to perform: {action} on "
                                        f"resource: arn:aws:iam::{ACCOUNT}:user/nullweb_admin"))
    ident, ip = _identity(rng, "frothly_admin")
    out.append(_record(rng, at(0.8), "ec2.amazonaws.com", "CreateKeyPair", ident, ip, "us-west-1",
                       requestParameters={"keyName": "BOTS", "keyType": "rsa", "keyFormat": "pem"},
                       responseElements={"keyName": "BOTS", "keyFingerprint": "1f:51:ae:28:bf:89:e9:d8",
                                         "keyPairId": "key-0b5b5a4b6e8c4d1a2"}))
    return out


def generate(events: int = 3000, seed: int = 7, days: float = 7.0) -> list[dict]:
    """``events`` records over ``days`` days, oldest first, the scenario included."""
    rng = random.Random(seed)
    span = timedelta(days=days)

    def at(fraction: float) -> datetime:
        return START + span * fraction

    story = _scenario(rng, at)
    logins = [_console_login(rng, at(rng.random()), rng.choice(["klaus", "ops-deploy"]), mfa=True,
                             success=rng.random() > 0.1) for _ in range(max(4, events // 150))]
    rest = events - len(story) - len(logins)
    records = [_random_call(rng, at(rng.random())) for _ in range(max(0, rest))] + logins + story
    records.sort(key=lambda r: r["eventTime"])
    return records


def write_records_gz(records: list[dict], path: str) -> None:
    """CloudTrail's S3 layout, {"Records": [...]}, gzipped with a fixed mtime (same bytes each run)."""
    data = orjson.dumps({"Records": records})
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))


def write_ndjson(records: list[dict], path: str) -> None:
    with open(path, "wb") as f:
        for r in records:
            f.write(orjson.dumps(r) + b"\n")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--format", choices=["records-gz", "ndjson"], default="records-gz")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    records = generate(args.events, args.seed, args.days)
    (write_records_gz if args.format == "records-gz" else write_ndjson)(records, args.out)


if __name__ == "__main__":
    main()
