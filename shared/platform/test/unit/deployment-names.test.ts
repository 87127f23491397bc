import { ALL_PARAMETERS, Parameter } from '../../src/config/parameters';
import { deploymentNames, GUIDE_NAMES, NameQualifierError, nameQualifierOf, stageNames, UNQUALIFIED } from '../../src/config/deployment-names';

describe('deployment names', () => {
  it('keeps the operations guide\'s names for stage dev', () => {
    const dev = stageNames('dev');
    expect(dev.qualifier).toBe(UNQUALIFIED);
    expect(dev).toMatchObject({
      usersTable: 'Users', messagesTable: 'Messages', conversationsTable: 'conversations', membersTable: 'conversation-members-table',
      connectionsTable: 'websocket-connections', chatTopic: 'chat-message-topic', alarmTopic: 'workshop-alarms',
      redisLogGroup: '/aws/elasticache/realtime-redis', suffix: '', ssmPrefix: '',
    });
    expect(Object.values(dev.parameters).sort()).toEqual([...ALL_PARAMETERS].sort());
    expect(dev.qualify('rt-message-errors')).toBe('rt-message-errors');
  });

  it('qualifies every name of any other stage with the stage, SSM parameters under its path', () => {
    const prod = stageNames('prod');
    expect(prod.qualifier).toBe('prod');
    for (const key of Object.keys(GUIDE_NAMES) as (keyof typeof GUIDE_NAMES)[]) expect(prod[key]).toBe(`${GUIDE_NAMES[key]}-prod`);
    expect(prod.ssmPrefix).toBe('/prod');
    expect(prod.parameters.websocketDomain).toBe('/prod/WEBSOCKET_DOMAIN');
    expect(prod.parameter(Parameter.enableMetrics)).toBe('/prod/ENABLE_METRICS');
    expect(prod.qualify('rt-message-errors')).toBe('rt-message-errors-prod');
  });

  it('takes an override: another qualifier, or none for the guide\'s names on any stage', () => {
    expect(nameQualifierOf('dev', 'blue')).toBe('blue');
    expect(stageNames('dev', 'blue').usersTable).toBe('Users-blue');
    expect(stageNames('prod', 'none').parameters.clientId).toBe('/CLIENT_ID');
    expect(stageNames('prod', 'none').chatTopic).toBe('chat-message-topic');
  });

  it('refuses a qualifier that some name could not carry', () => {
    for (const bad of ['', 'a.b', 'a/b', 'with space', 'awsome', 'SSMx', 'x'.repeat(65)]) expect(() => deploymentNames(bad)).toThrow(NameQualifierError);
    expect(deploymentNames('feature_42-b').usersTable).toBe('Users-feature_42-b');
  });
});
