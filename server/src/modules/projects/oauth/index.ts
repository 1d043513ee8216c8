export { oauthAdminRoutes } from './oauth.admin.routes';
export { oauthPublicRoutes } from './oauth.public';
export { resolveBearer } from './oauth.service';
