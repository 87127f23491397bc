import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { HTTP_API_SERVICES, httpApiNames, WEBSOCKET_SERVICE, websocketApiNames, type ServiceName } from './catalog';
import type { Target } from './target';

export interface ApiIds {
  /** HTTP API id per service (payload v2 APIs publish `5xx` etc. with dimension ApiId). */
  http: Partial<Record<ServiceName, string>>;
  /** The WebSocket API id of realTimeService (ConnectCount, MessageCount with ApiId and Stage). */
  websocket?: string;
  /** The stage dimension of WebSocket metrics. */
  websocketStage: string;
}

/**
 * The ids of the services' API Gateway APIs. On AWS they are looked up (GetApis) by the names
 * Serverless Framework gives them; an API that is not deployed is left out. Locally there is no
 * API Gateway (serverless-offline serves the routes), so the API's name stands in for its id:
 * alarms and dashboards keep the same shape locally and on AWS.
 */
export async function findApiIds(target: Target): Promise<ApiIds> {
  if (target.local) return localApiIds(target.stage);
  const ids: ApiIds = { http: {}, websocketStage: target.stage };
  const byName = new Map<string, { id: string; protocol?: string }>();
  const client = new ApiGatewayV2Client(target.client('apigatewayv2'));
  try {
    let token: string | undefined;
    do {
      const out = await client.send(new GetApisCommand({ NextToken: token }));
      for (const api of out.Items ?? []) if (api.Name && api.ApiId) byName.set(api.Name, { id: api.ApiId, protocol: api.ProtocolType });
      token = out.NextToken;
    } while (token);
  } finally {
    client.destroy();
  }
  const find = (names: string[], protocol: string) => names.map((n) => byName.get(n)).find((a) => a?.protocol === protocol)?.id;
  for (const service of HTTP_API_SERVICES) {
    const id = find(httpApiNames(service, target.stage), 'HTTP');
    if (id) ids.http[service] = id;
  }
  ids.websocket = find(websocketApiNames(WEBSOCKET_SERVICE, target.stage), 'WEBSOCKET');
  return ids;
}

/** Locally every API "exists" and its (first) name is its id. */
export function localApiIds(stage: string): ApiIds {
  return {
    http: Object.fromEntries(HTTP_API_SERVICES.map((s) => [s, httpApiNames(s, stage)[0]])),
    websocket: websocketApiNames(WEBSOCKET_SERVICE, stage)[0],
    websocketStage: stage,
  };
}
