/** The protocol servers' own timing (children/protocol-servers.ts): a client that does not keep up is dropped within these. */
export const SERVER_TIMING = { socketioPingInterval: 300, socketioPingTimeout: 200, graphqlInitWait: 300, stompHeartbeat: 200, mqttKeepaliveS: 1 };
