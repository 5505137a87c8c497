import { flatRoutes } from '@remix-run/fs-routes';
import type { RouteConfig } from '@remix-run/route-config';

// Routes follow the file names in app/routes (Remix's flat routes convention).
export default flatRoutes() satisfies RouteConfig;
