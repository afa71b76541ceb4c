// Uses the types that openapi-typescript generates from spec/bundled/openapi.yaml
// (`.ci/languages` writes them to target/languages/ts/gitcode.d.ts), so that
// `tsc --strict` fails when they are broken or do not say what the spec says.
// Each `@ts-expect-error` line must fail to type-check: were the generated
// types to degrade to `any` or lose a constraint, tsc would report the
// directive as unused.
import type { components, operations, paths } from "../../target/languages/ts/gitcode";

type Schemas = components["schemas"];
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

// The issue list of a repository answers an array of `Issue`; a label entry is
// a label object or a bare name.
export type IssueList = JsonOf<paths["/api/v5/repos/{owner}/{repo}/issues"]["get"]["responses"][200]>;
export const issues: IssueList = [
  { number: "7", title: "Crash on start", labels: [{ name: "bug", color: "#d73a4a" }, "p1"] },
  { number: 8 },
];
export const firstTitle: string | undefined = issues[0]?.title;
// @ts-expect-error the list is an array of issues, not one issue
export const notAList: IssueList = { number: "7" };

// Ids: issue numbers come as strings, pull-request numbers as integers; both are an `Id`.
export const issueNumber: Schemas["Issue"]["number"] = "7";
export const prNumber: Schemas["PullRequest"]["number"] = 7;
// @ts-expect-error an Id is a number or a string
export const notAnId: Schemas["Id"] = true;

// Path parameters of update_issue (`owner` and the issue `number`).
type UpdateIssuePath = operations["update_issue"]["parameters"]["path"];
export const where: UpdateIssuePath = { owner: "o", number: "7" };
export const whereByInteger: UpdateIssuePath = { owner: "o", number: 7 };
// @ts-expect-error `owner` is required
export const noOwner: UpdateIssuePath = { number: "7" };

// Its JSON body: `repo` required, `state` one of the listed values.
type UpdateIssueJson = operations["update_issue"]["requestBody"]["content"]["application/json"];
export const close: UpdateIssueJson = { repo: "r", state: "close", labels: "bug,p1" };
// @ts-expect-error `closed` is not a value of `state`
export const closed: UpdateIssueJson = { repo: "r", state: "closed" };
// @ts-expect-error `repo` is required
export const noRepo: UpdateIssueJson = { state: "reopen" };

// Its form body: the JSON fields plus the lists as repeated bracketed fields.
type UpdateIssueForm = operations["update_issue"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
export const labelled: UpdateIssueForm = { repo: "r", title: "t", "labels[]": ["bug", "perf"] };

// create_pull_request: a form with three required fields.
type CreatePullRequest =
  operations["create_pull_request"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
export const pr: CreatePullRequest = { title: "Feat", head: "feat", base: "main", labels: "bug", draft: true };
// @ts-expect-error `head` is required
export const noHead: CreatePullRequest = { title: "Feat", base: "main" };

// The pull-request list answers a list or, with `only_count`, the counts.
type PullRequestList = JsonOf<operations["list_repo_pull_requests"]["responses"][200]>;
export function count(answer: PullRequestList): number {
  return Array.isArray(answer) ? answer.length : 0;
}
