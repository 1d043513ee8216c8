import { Redirect, Route, Switch } from 'wouter';
import { useMe } from '../features/identity/api';
import { SignInPage } from '../features/identity/pages/SignInPage';
import { SignUpPage } from '../features/identity/pages/SignUpPage';
import { VerifyEmailPage } from '../features/identity/pages/VerifyEmailPage';
import { ForgotPasswordPage } from '../features/identity/pages/ForgotPasswordPage';
import { ResetPasswordPage } from '../features/identity/pages/ResetPasswordPage';
import { InvitePage } from '../features/identity/pages/InvitePage';
import { NewOrgPage } from '../features/identity/pages/NewOrgPage';
import { AccountPage } from '../features/identity/pages/AccountPage';
import { OperatorPage } from '../features/operator/pages/OperatorPage';
import { ManagedConsentPage } from '../features/pass/pages/ManagedConsentPage';
import { OperatorLifecyclePage } from '../features/operator/pages/OperatorLifecyclePage';
import { ClassicArea } from '../features/classic/pages/ClassicArea';
import { ClassicSignInPage } from '../features/classic/pages/ClassicSignInPage';
import { FullPageSpinner } from '../components/Feedback';
import { ErrorAlert } from '../components/ErrorAlert';
import { AppShell } from './shell/AppShell';
import { OrgArea } from './shell/OrgArea';
import { NotFound } from './shell/NotFound';
import { RequireSession, homePath } from './session';

function RootRedirect() {
  const { data: me, isPending, error } = useMe();
  if (isPending) return <FullPageSpinner />;
  if (error) return <ErrorAlert error={error} />;
  return <Redirect to={me ? homePath(me) : '/signin'} replace />;
}

function SignedInRoutes() {
  return (
    <RequireSession>
      <AppShell>
        <Switch>
          <Route path="/orgs/new" component={NewOrgPage} />
          <Route path="/orgs/:orgId/*?">{(params) => <OrgArea orgId={params.orgId} />}</Route>
          <Route path="/account/:tab?">{(params) => <AccountPage tab={params.tab ?? 'profile'} />}</Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </AppShell>
    </RequireSession>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/" component={RootRedirect} />
      <Route path="/signin" component={SignInPage} />
      <Route path="/signup" component={SignUpPage} />
      <Route path="/verify-email" component={VerifyEmailPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route path="/reset-password" component={ResetPasswordPage} />
      <Route path="/managed-consent" component={ManagedConsentPage} />
      <Route path="/invite/:token">{(params) => <InvitePage token={params.token} />}</Route>
      <Route path="/operator" component={OperatorPage} />
      <Route path="/operator/lifecycle" component={OperatorLifecyclePage} />
      {/* A classic space's own users (W6.6): their sign-in and their space, outside the platform shell. */}
      <Route path="/classic/:spaceKey/sign-in">{(params) => <ClassicSignInPage spaceKey={params.spaceKey} />}</Route>
      <Route path="/classic/:spaceKey/*?">{(params) => <ClassicArea spaceKey={params.spaceKey} />}</Route>
      <Route>
        <SignedInRoutes />
      </Route>
    </Switch>
  );
}
