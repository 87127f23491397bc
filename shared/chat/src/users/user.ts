import * as v from 'valibot';

const text = v.string();
const time = v.pipe(v.string(), v.isoTimestamp());

/** A user's profile as stored in `Users` (userId is the Cognito `sub`) and as signIn answers it. */
export const UserProfileSchema = v.strictObject({ userId: text, email: text, fullName: text, confirmed: v.boolean(), createdAt: time, updatedAt: time });
export type UserProfile = v.InferOutput<typeof UserProfileSchema>;

/** How names and emails are compared in search: trimmed, lower-cased, NFKC. */
export const normaliseForSearch = (value: string) => value.trim().toLowerCase().normalize('NFKC');

/** What a prefix search can match on. */
export type UserSearchField = 'name' | 'email';

/** A place in one search index: its sort value and the user id that breaks ties. */
export interface SearchPosition {
  sort: string;
  userId: string;
}

export interface SearchHit {
  profile: UserProfile;
  position: SearchPosition;
}
