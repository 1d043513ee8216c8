/** Verified domains (W8.3) as the rest of pass uses them: admin gate, domain check, routes. */
export { auditByAdmin, requireOrgAdmin, type PassAdminDeps } from './domains.deps';
export { isEmailOnVerifiedDomain, purgeOrgDomains } from './domains.service';
export { domainRoutes } from './domains.routes';
