import { validate } from '@shared/platform';
import { SignInBody, SignUpBody } from '../../src/schemas';

const signUp = (email: string) => validate(SignUpBody, { email, password: 'Passw0rdX', fullName: 'Ada Lovelace' }, 'body');

describe('authService schemas', () => {
  it.each(["o'brien@example.com", 'a+tag@sub.example.co.uk', 'first.last@example.org'])('accepts %s', (email) => {
    expect(signUp(email).email).toBe(email);
  });

  it('trims and lower-cases the email, so one person has one account', () => {
    expect(validate(SignInBody, { email: '  Ada@Example.COM ', password: 'x' }, 'body').email).toBe('ada@example.com');
  });

  it.each(['ada', 'ada@', '@example.com', 'ada@localhost', 'ada..l@example.com', '.ada@example.com', 'ada.@example.com', 'ada@exa mple.com', 'ünï@example.com'])(
    'refuses %s, naming the field',
    (email) => {
      expect(() => signUp(email)).toThrow(expect.objectContaining({ status: 400, field: 'email', message: 'email: must be a valid email address' }));
    },
  );

  it('refuses a weak password with the pool\'s policy', () => {
    expect(() => validate(SignUpBody, { email: 'ada@example.com', password: 'password', fullName: 'Ada' }, 'body')).toThrow(
      expect.objectContaining({ field: 'password', message: expect.stringMatching(/8-256 characters/) }),
    );
  });
});
