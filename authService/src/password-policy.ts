/** The user pool's password policy (mirrored in serverless.yml), checked before calling Cognito. */
export const passwordPolicy = {
  minLength: 8,
  description: 'Password must be 8-256 characters with at least one upper-case letter, one lower-case letter and one digit',
  test: (password: string) =>
    password.length >= 8 && password.length <= 256 && /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password),
};
