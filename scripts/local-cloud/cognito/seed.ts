/**
 * Writes cognito-local's data files (before it starts) so that it comes up with one user pool in
 * real region format and one public app client.
 *
 * cognito-local (v5.3.0) resolves everything relative to its working directory:
 *   .cognito/config.json          merged over its DefaultConfig (TokenConfig, UserPoolDefaults, …)
 *   .cognito/db/clients.json      { "Clients": { [clientId]: AppClient } }
 *   .cognito/db/<poolId>.json     { "Options": UserPool, "Users": {}, "Groups": {} }
 * Every key ending in "Date" must hold an ISO string or epoch number (its JSON reviver demands it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_ACCOUNT_ID } from '../../lib/local-aws';

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export const PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: false,
  TemporaryPasswordValidityDays: 7,
};

/** 26 characters of [a-z0-9], like a real Cognito app client id. */
export const LOCAL_CLIENT_ID = 'localchatclient00000000001';
export const localUserPoolId = (region: string): string => `${region}_LocalPool1`;
export const issuerDomain = (region: string): string => `https://cognito-idp.${region}.amazonaws.com`;

const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function assertRegion(region: string): void {
  if (!REGION_RE.test(region)) {
    throw new Error(`startLocalCognito: region "${region}" is not an AWS region name (e.g. eu-west-1)`);
  }
}

const str = (Name: string, Required = false, Mutable = true, MinLength = '0', MaxLength = '2048') => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable,
  Required,
  StringAttributeConstraints: { MinLength, MaxLength },
});
const bool = (Name: string) => ({
  Name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** The standard attributes of a Cognito user pool; email is required (it is the sign-in name). */
const SCHEMA_ATTRIBUTES = [
  str('sub', true, false, '1'),
  str('name'),
  str('given_name'),
  str('family_name'),
  str('middle_name'),
  str('nickname'),
  str('preferred_username'),
  str('profile'),
  str('picture'),
  str('website'),
  str('email', true),
  bool('email_verified'),
  str('gender'),
  str('birthdate', false, true, '10', '10'),
  str('zoneinfo'),
  str('locale'),
  str('phone_number'),
  bool('phone_number_verified'),
  str('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

export interface SeedOptions {
  dataDir: string;
  region: string;
  userPoolId: string;
  clientId: string;
  preventUserExistenceErrors: boolean;
}

export async function writeSeed(o: SeedOptions): Promise<void> {
  const now = new Date().toISOString();
  const cognitoDir = path.join(o.dataDir, '.cognito');
  const dbDir = path.join(cognitoDir, 'db');
  await mkdir(dbDir, { recursive: true });

  const config = {
    // `iss` = https://cognito-idp.<region>.amazonaws.com/<poolId>, exactly the real issuer.
    TokenConfig: { IssuerDomain: issuerDomain(o.region) },
    UserPoolDefaults: { UsernameAttributes: ['email'] },
  };

  const userPool = {
    Options: {
      Id: o.userPoolId,
      Name: 'local-chat-users',
      Arn: `arn:aws:cognito-idp:${o.region}:${LOCAL_ACCOUNT_ID}:userpool/${o.userPoolId}`,
      CreationDate: now,
      LastModifiedDate: now,
      // Sign-in with the email address: SignUp takes the email as Username, Cognito stores the
      // user under a generated username (= sub) and finds it by email from then on.
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: PASSWORD_POLICY },
      SchemaAttributes: SCHEMA_ATTRIBUTES,
      LambdaConfig: {},
      MfaConfiguration: 'OFF',
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
      EstimatedNumberOfUsers: 0,
    },
    Users: {},
    Groups: {},
  };

  const clients = {
    Clients: {
      [o.clientId]: {
        ClientId: o.clientId,
        ClientName: 'local-chat-client',
        UserPoolId: o.userPoolId,
        CreationDate: now,
        LastModifiedDate: now,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
        // Cognito's defaults: 60 min access/id tokens, 30-day refresh tokens.
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 30,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: o.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
        SupportedIdentityProviders: ['COGNITO'],
      },
    },
  };

  const write = (file: string, value: unknown) => writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  await Promise.all([
    write(path.join(cognitoDir, 'config.json'), config),
    write(path.join(dbDir, 'clients.json'), clients),
    write(path.join(dbDir, `${o.userPoolId}.json`), userPool),
  ]);
}
