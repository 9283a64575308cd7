import { Header } from './components/Header.tsx';
import { Notice } from './components/Status.tsx';
import { matchRoute, usePath, Link } from './lib/router.tsx';
import { CartPage } from './pages/CartPage.tsx';
import { CheckoutPage } from './pages/CheckoutPage.tsx';
import { OrderPage } from './pages/OrderPage.tsx';
import { ProductPage } from './pages/ProductPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';

export function App() {
  const route = matchRoute(usePath());
  return (
    <>
      <Header />
      <main className="page" id="main">
        {route.page === 'products' && <ProductsPage />}
        {route.page === 'product' && <ProductPage key={route.handle} handle={route.handle} />}
        {route.page === 'cart' && <CartPage />}
        {route.page === 'checkout' && <CheckoutPage />}
        {route.page === 'order' && <OrderPage key={route.id} id={route.id} />}
        {route.page === 'not-found' && (
          <Notice kind="info" title="Page not found">
            That page does not exist. <Link href="/">Back to the shop</Link>
          </Notice>
        )}
      </main>
      <footer className="site-footer">Powered by Storeplane · Medusa</footer>
    </>
  );
}
