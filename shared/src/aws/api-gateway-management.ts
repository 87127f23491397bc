import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { requestHandler } from './client-options';

const managementClients = new Map<string, ApiGatewayManagementApiClient>();

/**
 * API Gateway management client for one WebSocket API endpoint (https://domain/stage on AWS):
 * realTimeService's fan-out only (kept out of shared/src/index.ts on purpose).
 */
export function apiGatewayManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 2, requestHandler });
    managementClients.set(endpoint, client);
  }
  return client;
}
