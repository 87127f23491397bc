import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { requestHandler } from '@shared/platform/aws/client-options';

const managementClients = new Map<string, ApiGatewayManagementApiClient>();

/**
 * API Gateway management client for one WebSocket API endpoint (https://domain/stage on AWS):
 * realTimeService's fan-out only (it lives here, not in shared/, because nothing else uses it).
 */
export function apiGatewayManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 2, requestHandler });
    managementClients.set(endpoint, client);
  }
  return client;
}
