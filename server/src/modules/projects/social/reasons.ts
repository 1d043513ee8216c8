/** Backlog's notification reasons. */
export const Reason = { assigned: 1, commented: 2, issueCreated: 3, issueUpdated: 4, other: 9 } as const;
