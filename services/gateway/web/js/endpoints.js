// Paths of the public API that several screens use. The market and advice routes were being added
// to the gateway while this client was written: screens treat a missing route as "coming soon"
// (ApiError.routeMissing) rather than as a failure.

export const ENDPOINTS = {
  profile: '/v1/me/profile',
  diagnosis: '/v1/me/diagnosis',
  advice: '/v1/me/advice',
  plan: '/v1/me/plan',
  action: (actionId) => `/v1/me/plan/actions/${encodeURIComponent(actionId)}`,
  market: (rome, departement) => `/v1/market/${encodeURIComponent(rome)}/${encodeURIComponent(departement)}`,
  hints: (rome, departement) => `/v1/market/${encodeURIComponent(rome)}/${encodeURIComponent(departement)}/hints`,
};
