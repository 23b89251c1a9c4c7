/**
 * The page's only script: the status chips toggle a `hide-<key>` class on
 * <body>, and CSS hides the matching rows and suites. It reads nothing but
 * the fixed `data-filter` keys the report writes, so no user string is ever
 * evaluated. The page's Content-Security-Policy allows this exact script
 * (by hash) and nothing else.
 */
import { createHash } from 'node:crypto';

export const FILTER_SCRIPT =
  "document.querySelectorAll('button[data-filter]').forEach(function(b){" +
  "b.addEventListener('click',function(){" +
  "var on=b.getAttribute('aria-pressed')!=='true';" +
  "b.setAttribute('aria-pressed',on?'true':'false');" +
  "document.body.classList.toggle('hide-'+b.getAttribute('data-filter'),!on);});});";

const SCRIPT_HASH = createHash('sha256').update(FILTER_SCRIPT).digest('base64');

/** No network, no plugins, images only from data: URIs, and only the filter script. */
export const CONTENT_SECURITY_POLICY =
  `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; ` +
  "base-uri 'none'; form-action 'none'";
