/** One email domain of an org (W8.3): pending until its TXT record is seen, then verified. */
export interface VerifiedDomainRow {
  id: string;
  org_id: string;
  /** Lowercase, no trailing dot. */
  domain: string;
  /** The random part of the TXT value `toride-verification=<token>`. */
  token: string;
  created_by: string | null;
  created_at: string;
  verified_at: string | null;
  last_checked_at: string | null;
  /** Why the last check failed (`domain.txt_record_missing` …), or null. */
  last_error: string | null;
}

export interface DomainsDb {
  verified_domains: VerifiedDomainRow;
}
