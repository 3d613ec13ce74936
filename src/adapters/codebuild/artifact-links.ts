/**
 * Where a build keeps its output files, for the report: the S3 artifact folder as an `s3://` URI
 * and as links into the S3 console (the folder, and the result object when the result is read
 * from S3). Every piece comes from BatchGetBuilds (the build's ARN, its artifact location), so
 * each is checked (region and bucket by pattern) and encoded; nothing is made public: the
 * console asks for the reader's own AWS sign-in.
 */
import type { Artifacts } from "../../core/model.js";
import type { CodeBuildBuild } from "./build-status.js";
import { artifactKey, parseArtifactLocation } from "./s3-result.js";

/** Only the commercial partition's console is linked; elsewhere the `s3://` URI stands alone. */
const BUILD_ARN = /^arn:aws:codebuild:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:build\//;

const S3_CONSOLE = "https://s3.console.aws.amazon.com/s3";

const consoleFolder = (bucket: string, prefix: string, region: string): string =>
  `${S3_CONSOLE}/buckets/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(prefix === "" ? "" : `${prefix}/`)}`;

const consoleObject = (bucket: string, key: string, region: string): string =>
  `${S3_CONSOLE}/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(key)}`;

/**
 * The artifacts of a finished build: its S3 folder (and result object), or a note that the
 * project keeps no S3 artifacts.
 *
 * @example
 * buildArtifacts({ id: "p:1", arn: "arn:aws:codebuild:eu-west-1:123456789012:build/p:1", artifacts: { location: "arn:aws:s3:::b/out" } }, "result.json");
 * // { location: "s3://b/out/", links: [{ label: "S3 folder", url: "https://s3.console.aws.amazon.com/s3/buckets/b?region=eu-west-1&prefix=out%2F" }, { label: "result object", … }] }
 * @internal */
export const buildArtifacts = (b: CodeBuildBuild, resultPath: string | undefined): Artifacts => {
  const location = b.artifacts?.location;
  if (location === undefined || location === "") {
    return {
      note: "this CodeBuild project keeps no S3 artifacts (artifacts type NO_ARTIFACTS); the build page has its logs",
    };
  }
  const loc = parseArtifactLocation(location);
  if (loc._tag === "Left") return { note: "the build's artifacts are not in S3; see the build page" };
  const { bucket, prefix } = loc.right;
  const uri = `s3://${bucket}/${prefix === "" ? "" : `${prefix}/`}`;
  const region = BUILD_ARN.exec(b.arn ?? "")?.[1];
  if (region === undefined) return { location: uri, note: "open it with your AWS credentials (aws s3 ls)" };
  const links = [
    { label: "S3 folder", url: consoleFolder(bucket, prefix, region) },
    ...(resultPath === undefined
      ? []
      : [{ label: "result object", url: consoleObject(bucket, artifactKey(loc.right, resultPath), region) }]),
  ];
  return { location: uri, links, note: "in the build's own bucket, for AWS sign-in; nothing is public" };
};
