// /statements/{id} and /evidence/{id}: where a statement or a piece of evidence is, opened in
// the source reader at its place (the URL is replaced, so back skips this hop).

import { query } from "../graphql.js";
import { STATEMENT_PLACE, EVIDENCE_PLACE } from "../queries.js";
import { NotFound, Redirect } from "../router.js";
import { evidenceKey, path } from "./common.js";

export async function statementView(context) {
  const [id] = context.params;
  const { statement } = await query(STATEMENT_PLACE, { id }, { signal: context.signal });
  if (!statement || !statement.source) throw new NotFound(`The statement “${id}”`);
  throw new Redirect(path.source(statement.source.slug, statement.slug));
}

export async function evidenceView(context) {
  const [id] = context.params;
  const { evidence } = await query(EVIDENCE_PLACE, { id }, { signal: context.signal });
  if (!evidence || !evidence.source) throw new NotFound(`The evidence “${id}”`);
  throw new Redirect(path.source(evidence.source.slug, evidenceKey(evidence.slug)));
}
