import { MAX_COUNT } from './scim-query';
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, LIST_SCHEMA, USER_SCHEMA } from './scim-user-mapping';

/** RFC 7643 §5–7: what this server supports, for clients that read it (Okta and Entra mostly do not). */
export function serviceProviderConfig(baseUrl: string, docsUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token issued by an organization admin in Toride.', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  const types = [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A managed account of the organization',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A team of the organization',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
  return types;
}

const attr = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

const multi = (name: string, subs: ReturnType<typeof attr>[]) => attr(name, 'complex', { multiValued: true, subAttributes: subs });

/** RFC 7643 §7: each Schema is itself a resource with `schemas`, like ResourceTypes (issue 13 §8). */
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function schemas(baseUrl: string) {
  const meta = (id: string) => ({ resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` });
  return [
    {
      schemas: [SCHEMA_SCHEMA],
      id: USER_SCHEMA,
      name: 'User',
      description: 'User account',
      attributes: [
        attr('userName', 'string', { required: true, uniqueness: 'server' }),
        attr('name', 'complex', { subAttributes: [attr('formatted', 'string'), attr('givenName', 'string'), attr('familyName', 'string')] }),
        attr('displayName', 'string'),
        attr('active', 'boolean'),
        multi('emails', [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')]),
        multi('roles', [attr('value', 'string', { canonicalValues: ['ADMIN', 'USER', 'GUEST'] }), attr('display', 'string'), attr('primary', 'boolean')]),
      ],
      meta: meta(USER_SCHEMA),
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: ENTERPRISE_SCHEMA,
      name: 'EnterpriseUser',
      description: 'Enterprise user (stored and returned as sent)',
      attributes: [
        attr('employeeNumber', 'string'),
        attr('costCenter', 'string'),
        attr('organization', 'string'),
        attr('division', 'string'),
        attr('department', 'string'),
        attr('manager', 'complex', { subAttributes: [attr('value', 'string'), attr('$ref', 'reference', { referenceTypes: ['User'] }), attr('displayName', 'string', { mutability: 'readOnly' })] }),
      ],
      meta: meta(ENTERPRISE_SCHEMA),
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: GROUP_SCHEMA,
      name: 'Group',
      description: 'Group (a Toride team)',
      attributes: [
        attr('displayName', 'string', { required: true, uniqueness: 'server' }),
        multi('members', [
          attr('value', 'string', { mutability: 'immutable' }),
          attr('display', 'string', { mutability: 'readOnly' }),
          // Every member comes back with its User's URI (RFC 7643 §4.2).
          attr('$ref', 'reference', { referenceTypes: ['User'], mutability: 'immutable' }),
        ]),
      ],
      meta: meta(GROUP_SCHEMA),
    },
  ];
}

export const listOf = (resources: object[]) => ({
  schemas: [LIST_SCHEMA],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});
