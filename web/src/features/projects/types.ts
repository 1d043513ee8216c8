/** Backlog API v2 entities as `/api/v2` answers them (the backlog-js `Entity` shapes we use). */
import type { Star } from './collab-types';
export interface BacklogUser {
  id: number;
  userId: string | null;
  name: string;
  roleType: number;
  lang: string | null;
  mailAddress: string | null;
}

export interface Project {
  id: number;
  projectKey: string;
  name: string;
  chartEnabled: boolean;
  subtaskingEnabled: boolean;
  useWiki: boolean;
  useFileSharing: boolean;
  textFormattingRule: string;
  archived: boolean;
  displayOrder: number;
}

export interface IssueType {
  id: number;
  projectId: number;
  name: string;
  color: string;
  displayOrder: number;
}

export interface Status {
  id: number;
  projectId: number;
  name: string;
  color: string;
  displayOrder: number;
}

export interface Named {
  id: number;
  name: string;
}

export interface Category extends Named {
  projectId: number;
  displayOrder: number;
}

export interface Version extends Named {
  projectId: number;
  description: string | null;
  startDate: string | null;
  releaseDueDate: string | null;
  archived: boolean;
  displayOrder: number;
}

export interface Issue {
  id: number;
  projectId: number;
  issueKey: string;
  keyId: number;
  issueType: IssueType;
  summary: string;
  description: string;
  resolution: Named | null;
  priority: Named;
  status: Status;
  assignee: BacklogUser | null;
  category: Category[];
  versions: Version[];
  milestone: Version[];
  startDate: string | null;
  dueDate: string | null;
  estimatedHours: number | null;
  actualHours: number | null;
  parentIssueId: number | null;
  createdUser: BacklogUser;
  created: string;
  updatedUser: BacklogUser | null;
  updated: string;
  /** Who starred it (Backlog's `Star[]`); absent from list answers of older servers. */
  stars?: Star[];
}

export interface ChangeLog {
  field: string;
  newValue: string | null;
  originalValue: string | null;
}

export interface Comment {
  id: number;
  content: string | null;
  changeLog: ChangeLog[];
  createdUser: BacklogUser;
  created: string;
  updated: string;
}

export interface Team {
  id: number;
  name: string;
  members: BacklogUser[];
}

export interface WikiListItem {
  id: number;
  projectId: number;
  name: string;
  tags: Named[];
  createdUser: BacklogUser;
  created: string;
  updatedUser: BacklogUser | null;
  updated: string;
}

export interface Wiki extends WikiListItem {
  content: string;
  stars?: Star[];
}

export interface WikiHistory {
  pageId: number;
  version: number;
  name: string;
  content: string;
  createdUser: BacklogUser;
  created: string;
}

export interface BacklogNotification {
  id: number;
  alreadyRead: boolean;
  reason: number;
  project: Project | null;
  issue?: Issue | null;
  comment?: Comment | null;
  sender: BacklogUser;
  created: string;
}

export const ISSUE_PAGE_SIZE = 20;
