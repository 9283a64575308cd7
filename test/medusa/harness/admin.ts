/** Reads orders back through Medusa's admin API, the way the store owner would see them. */
export interface AdminOrder {
  id: string;
  display_id: number;
  email: string;
  status: string;
  total: number;
  currency_code: string;
  items?: { product_title?: string; variant_title?: string; quantity: number }[];
  shipping_methods?: { name: string }[];
}

export class AdminApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<AdminApi> {
    const res = await fetch(`${baseUrl}/auth/user/emailpass`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`admin login failed: HTTP ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return new AdminApi(baseUrl, token);
  }

  /** One admin API call as the owner; a non-2xx answer is an error quoting the server. */
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private get = <T>(path: string) => this.request<T>('GET', path);

  orderCount = () => this.get<{ count: number }>('/admin/orders?limit=1&fields=id').then((r) => r.count);

  order = (id: string) =>
    this.get<{ order: AdminOrder }>(
      `/admin/orders/${id}?fields=id,display_id,email,status,total,currency_code,*items,*shipping_methods`,
    ).then((r) => r.order);

  /** The newest orders first. */
  latestOrders = (limit: number) =>
    this.get<{ orders: AdminOrder[] }>(
      `/admin/orders?limit=${limit}&order=-created_at&fields=id,display_id,email`,
    ).then((r) => r.orders);
}
