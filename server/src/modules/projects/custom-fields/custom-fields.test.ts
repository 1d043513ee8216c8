import type { Backlog} from 'backlog-js';
import { Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

/** Custom fields of all 8 types through backlog-js 0.20.1 (issue 3 §1–2): CRUD, items, values, filters, change log. */
describe('custom fields (issue 3 §1, W7.7)', () => {
  let t: TestApp;
  let admin: Backlog;
  let member: Backlog;
  let keyAdmin: string;
  let keyMember: string;
  let keyOther: string;
  let projectId: number;
  let taskType: number;
  let orgId: string;
  let bugType: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme' });
    orgId = a.orgId;
    const m = await addMember(t, a, 'member');
    const other = await signUpUser(t, { orgName: 'Other' });
    keyAdmin = await apiKeyOf(a);
    keyMember = await apiKeyOf(m);
    keyOther = await apiKeyOf(other);
    const port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    const project = await admin.postProject({ name: 'Fields', key: 'FLD', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' });
    projectId = project.id;
    await admin.postProjectUser(projectId, String((await member.getMyself()).id));
    const types = await admin.getIssueTypes(projectId);
    taskType = types.find((x) => x.name === 'Task')?.id as number;
    bugType = types.find((x) => x.name === 'Bug')?.id as number;
  });
  afterAll(async () => t.close());

  it('creates fields of every type, sets values on issues, filters and logs changes', async () => {
    const text = await admin.postCustomField(projectId, { typeId: 1, name: 'Customer', required: true });
    const sentence = await admin.postCustomField(projectId, { typeId: 2, name: 'Notes', description: 'free text' });
    const num = await admin.postCustomField(projectId, { typeId: 3, name: 'Cost', min: 0, max: 1000, unit: 'EUR' });
    const date = await admin.postCustomField(projectId, { typeId: 4, name: 'Deadline', min: '2026-01-01', max: '2027-12-31' });
    const single = await admin.postCustomField(projectId, { typeId: 5, name: 'Tier', items: ['Gold', 'Silver'] });
    const multi = await admin.postCustomField(projectId, { typeId: 6, name: 'OS', items: ['Linux', 'macOS', 'Windows'] });
    const check = await admin.postCustomField(projectId, { typeId: 7, name: 'Checks', items: ['A', 'B'], allowInput: true });
    const radio = await admin.postCustomField(projectId, { typeId: 8, name: 'Severity', items: ['Low', 'High'], applicableIssueTypes: [bugType] });
    expect(text).toMatchObject({ typeId: 1, name: 'Customer', required: true, useIssueType: false, applicableIssueTypes: [] });
    expect(num).toMatchObject({ typeId: 3, min: 0, max: 1000, unit: 'EUR' });
    expect(date).toMatchObject({ min: '2026-01-01', max: '2027-12-31' });
    expect(multi.items?.map((i) => i.name)).toEqual(['Linux', 'macOS', 'Windows']);
    expect(check).toMatchObject({ allowInput: true });
    expect(radio).toMatchObject({ useIssueType: true, applicableIssueTypes: [bugType] });
    expect((await admin.getCustomFields(projectId)).map((f) => f.name)).toEqual(['Customer', 'Notes', 'Cost', 'Deadline', 'Tier', 'OS', 'Checks', 'Severity']);

    const [linux, mac] = multi.items ?? [];
    const gold = single.items?.[0];
    const created = await member.postIssue({
      projectId,
      summary: 'With fields',
      issueTypeId: taskType,
      priorityId: 3,
      [`customField_${text.id}`]: 'ACME Corp',
      [`customField_${sentence.id}`]: 'Line 1\nLine 2',
      [`customField_${num.id}`]: 42.5,
      [`customField_${date.id}`]: '2026-06-30',
      [`customField_${single.id}`]: gold?.id,
      [`customField_${multi.id}`]: [linux?.id, mac?.id],
      [`customField_${check.id}`]: [check.items?.[0]?.id],
      [`customField_${check.id}_otherValue`]: 'something else',
    });
    const byName = (issue: typeof created) => Object.fromEntries(issue.customFields.map((f) => [f.name, f.value]));
    expect(byName(created)).toMatchObject({ Customer: 'ACME Corp', Notes: 'Line 1\nLine 2', Cost: 42.5, Deadline: '2026-06-30', Tier: { id: gold?.id, name: 'Gold' } });
    expect((byName(created).OS as { name: string }[]).map((i) => i.name).sort()).toEqual(['Linux', 'macOS']);
    expect(created.customFields.find((f) => f.name === 'Checks')).toMatchObject({ fieldTypeId: 7, value: [{ name: 'A' }], otherValue: 'something else' });
    // Severity applies to bugs only: absent from a task.
    expect(created.customFields.some((f) => f.name === 'Severity')).toBe(false);

    await member.postIssue({ projectId, summary: 'Other', issueTypeId: bugType, priorityId: 3, [`customField_${text.id}`]: 'Globex', [`customField_${num.id}`]: 7, [`customField_${radio.id}`]: radio.items?.[1]?.id });
    const keys = async (params: Record<string, unknown>) => (await admin.getIssues({ projectId: [projectId], ...params } as never)).map((i) => i.summary).sort();
    expect(await keys({ [`customField_${multi.id}`]: [mac?.id] })).toEqual(['With fields']);
    expect(await keys({ [`customField_${text.id}`]: 'glob' })).toEqual(['Other']);
    expect(await keys({ [`customField_${num.id}_min`]: 10 })).toEqual(['With fields']);
    expect(await keys({ [`customField_${num.id}_max`]: 10 })).toEqual(['Other']);
    expect(await admin.getIssuesCount({ projectId: [projectId], [`customField_${radio.id}`]: [radio.items?.[1]?.id] } as never)).toEqual({ count: 1 });

    const patched = await member.patchIssue(created.id, { [`customField_${num.id}`]: 100, [`customField_${multi.id}`]: [linux?.id] });
    expect(byName(patched)).toMatchObject({ Cost: 100 });
    const [comment] = await admin.getIssueComments(created.id, {});
    const costChange = comment?.changeLog.find((c) => c.field === 'Cost');
    expect(costChange).toMatchObject({ newValue: '100', originalValue: '42.5', attributeInfo: { id: num.id, typeId: 3 } });
    expect(comment?.changeLog.find((c) => c.field === 'OS')).toMatchObject({ newValue: 'Linux' });
  });

  it('rejects bad values with code 7 and enforces required fields', async () => {
    const fields = await admin.getCustomFields(projectId);
    const id = (name: string) => fields.find((f) => f.name === name)?.id as number;
    const base = { projectId, summary: 'x', issueTypeId: taskType, priorityId: 3 };
    const bad = async (form: Record<string, string | number | (string | number)[]>) => backlog(t, keyAdmin, 'POST', '/issues', { ...base, [`customField_${id('Customer')}`]: 'c', ...form });
    expect((await backlog(t, keyAdmin, 'POST', '/issues', base)).body.errors[0]).toMatchObject({ code: 7, message: 'Customer: is required.' });
    expect((await bad({ [`customField_${id('Cost')}`]: 5000 })).status).toBe(400);
    expect((await bad({ [`customField_${id('Cost')}`]: 'abc' })).status).toBe(400);
    expect((await bad({ [`customField_${id('Deadline')}`]: '2030-01-01' })).status).toBe(400);
    expect((await bad({ [`customField_${id('Tier')}`]: [1, 2] })).status).toBe(400);
    expect((await bad({ [`customField_${id('Tier')}`]: 999999 })).status).toBe(400);
    expect((await bad({ [`customField_${id('OS')}_otherValue`]: 'x' })).status).toBe(400);
    expect((await bad({ [`customField_${id('Severity')}`]: 1 })).status).toBe(400);
    expect((await bad({ customField_987654: 'x' })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'POST', `/projects/${projectId}/customFields`, { typeId: 9, name: 'x' })).status).toBe(400);
    expect((await backlog(t, keyAdmin, 'POST', `/projects/${projectId}/customFields`, { typeId: 3, name: 'x', min: 5, max: 1 })).status).toBe(400);
  });

  it('edits fields and items; members may not manage fields (403); 401 without a key', async () => {
    const tier = (await admin.getCustomFields(projectId)).find((f) => f.name === 'Tier');
    const id = tier?.id as number;
    const renamed = await admin.patchCustomField(projectId, id, { name: 'Plan', applicableIssueTypes: [taskType], required: false });
    expect(renamed).toMatchObject({ name: 'Plan', useIssueType: true, applicableIssueTypes: [taskType] });
    const added = await admin.postCustomFieldItem(projectId, id, { name: 'Bronze' });
    expect(added.items?.map((i) => i.name)).toEqual(['Gold', 'Silver', 'Bronze']);
    const bronze = added.items?.[2]?.id as number;
    expect((await admin.patchCustomFieldItem(projectId, id, bronze, { name: 'Copper' })).items?.[2]?.name).toBe('Copper');
    expect((await admin.deleteCustomFieldItem(projectId, id, bronze)).items?.map((i) => i.name)).toEqual(['Gold', 'Silver']);

    const error = await member.postCustomField(projectId, { typeId: 1, name: 'Nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BacklogErrors.BacklogApiError);
    expect((error as InstanceType<typeof BacklogErrors.BacklogApiError>).status).toBe(403);
    expect((await backlog(t, keyMember, 'PATCH', `/projects/${projectId}/customFields/${id}`, { name: 'x' })).status).toBe(403);
    expect((await backlog(t, null, 'GET', `/projects/${projectId}/customFields`)).status).toBe(401);
    expect((await backlog(t, keyAdmin, 'PATCH', `/projects/${projectId}/customFields/987654`, { name: 'x' })).status).toBe(404);
    expect((await backlog(t, keyAdmin, 'DELETE', `/projects/${projectId}/customFields/${id}/items/987654`)).status).toBe(404);

    const deleted = await admin.deleteCustomField(projectId, id);
    expect(deleted.name).toBe('Plan');
    expect((await admin.getCustomFields(projectId)).some((f) => f.id === id)).toBe(false);
    const actions = async (action: string) => (await t.kernel.audit.list({ orgId, action })).length;
    expect(await actions('project.custom_field_created')).toBe(8);
    expect(await actions('project.custom_field_deleted')).toBe(1);
    expect(await actions('project.custom_field_updated')).toBeGreaterThanOrEqual(4);
  });

  it('W7.7 another org’s field ids answer like random ids', async () => {
    const field = (await admin.getCustomFields(projectId))[0];
    const id = field?.id as number;
    for (const [method, path, form] of [
      ['GET', `/projects/${projectId}/customFields`, undefined],
      ['PATCH', `/projects/${projectId}/customFields/${id}`, { name: 'x' }],
      ['DELETE', `/projects/${projectId}/customFields/${id}`, undefined],
      ['POST', `/projects/${projectId}/customFields/${id}/items`, { name: 'x' }],
    ] as const) {
      const foreign = await backlog(t, keyOther, method, path, form);
      const random = await backlog(t, keyOther, method, path.replace(String(projectId), '987650'), form);
      expect(foreign.status, path).toBe(404);
      expect(foreign.body).toEqual(random.body);
    }
    const otherProject = (await backlog(t, keyOther, 'POST', '/projects', { name: 'O', key: 'OTH' })).body;
    const otherType = (await backlog(t, keyOther, 'GET', '/projects/OTH/issueTypes')).body[0].id;
    const foreignField = await backlog(t, keyOther, 'POST', '/issues', { projectId: otherProject.id, summary: 'x', issueTypeId: otherType, priorityId: 3, [`customField_${id}`]: 'x' });
    const randomField = await backlog(t, keyOther, 'POST', '/issues', { projectId: otherProject.id, summary: 'x', issueTypeId: otherType, priorityId: 3, customField_987659: 'x' });
    expect(foreignField.status).toBe(400);
    expect(foreignField.body.errors[0].message).toBe(randomField.body.errors[0].message.replace('987659', String(id)));
    expect((await backlog(t, keyOther, 'GET', `/issues?customField_${id}=x`)).status).toBe(400);
  });
});
