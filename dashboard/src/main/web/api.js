// Reads the query API (/api/v1/…, relative to the page so a proxy path prefix keeps working).
// Sends the token kept in this browser's localStorage as a bearer token; turns every answer that is
// not 2xx into an ApiError carrying the server's one-sentence error and its Retry-After.

const TOKEN_KEY = 'dropstream.query.token';

export class ApiError extends Error {
  constructor(status, message, retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function savedToken() {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function saveToken(token) {
  if (token) {
    localStorage.setItem(TOKEN_KEY, token);
  } else {
    localStorage.removeItem(TOKEN_KEY);
  }
}

export async function getJson(path, params = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  const headers = { Accept: 'application/json' };
  const token = savedToken();
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(url, { headers, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `The query server did not answer (${e.message}).`, 5);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A body that is not JSON: the status alone says what happened.
  }
  if (!response.ok) {
    const sentence = body && typeof body.error === 'string' ? body.error : `The server answered HTTP ${response.status}.`;
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, sentence, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1);
  }
  return body;
}
