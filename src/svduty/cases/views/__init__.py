"""Children-at-risk pages. Every view fetches the child through the policy layer
(full record, signpost or 404) and audits what it shows."""
