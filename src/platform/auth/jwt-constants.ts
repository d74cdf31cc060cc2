export const LOCAL_ISSUER = 'keyway';
export const LOCAL_AUDIENCE = 'keyway-api';
