import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { logger, Parameter, type ConfigSource } from '@shared/platform';
import { apiGatewayManagementClient } from './api-gateway-management-client';
import type { ConnectionGateway, Post } from '../ports';

/**
 * The management API's address: `https://<domain>/<stage>` on AWS; locally /WEBSOCKET_DOMAIN holds
 * a full URL (serverless-offline serves @connections without a stage), which is used verbatim.
 */
export function managementEndpoint(domain: string, stage: string): string {
  return domain.includes('://') ? domain : `https://${domain}/${stage}`;
}

/**
 * Locally the SDK error for a closed connection is not a GoneException instance (the body is
 * empty), so the status decides.
 */
export const isGone = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
};

/** PostToConnection through API Gateway's management API (endpoint from SSM at run time). */
export class ApiGatewayConnections implements ConnectionGateway {
  constructor(private readonly config: ConfigSource) {}

  async poster(): Promise<Post> {
    const client = apiGatewayManagementClient(await this.endpoint());
    return async (connectionId, payload) => {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: payload }));
        return 'delivered';
      } catch (err) {
        if (isGone(err)) return 'gone';
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        logger.warn('websocket.post_failed', { connectionId, error: e.name, detail: e.message, status: e.$metadata?.httpStatusCode });
        return 'failed';
      }
    };
  }

  private async endpoint(): Promise<string> {
    const v = await this.config.getMany([Parameter.websocketDomain, Parameter.websocketStage]);
    return managementEndpoint(v[Parameter.websocketDomain], v[Parameter.websocketStage]);
  }
}
