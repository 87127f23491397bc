/** The sizes this service accepts and answers with (documented in connectService/README.md). */
export const LIMITS = {
  nameLength: 100,
  descriptionLength: 1000,
  /**
   * Members named when a group is created (besides the creator). With the conversation item that
   * is at most 52 items, well inside one TransactWriteItems (100); more join through addMember.
   */
  initialMembers: 50,
  /** Members a group can reach through addMember; bounds getMembers' answer and every fan-out. */
  groupMembers: 200,
  conversationPage: { default: 20, max: 50 },
  searchPage: { default: 20, max: 50 },
  searchQueryLength: 100,
  /** Unread counts stop at this many ("99+" style); see adapters/unread-counter.ts. */
  unreadCap: 100,
} as const;
