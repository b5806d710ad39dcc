import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-token.entity';

export const ROLES_KEY = 'aster:roles';
export const PUBLIC_KEY = 'aster:public';

/** The roles allowed on a route. A route without @Roles is admin-only: access is refused unless granted. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Staff and admin: reading and changing records and messages. */
export const StaffOnly = () => Roles('admin', 'staff');
/** Everyone with a token; client tokens are scoped to their own client by the services. */
export const AnyRole = () => Roles('admin', 'staff', 'client');
/** No token needed (health, public guidance). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
