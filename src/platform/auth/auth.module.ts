import { DynamicModule, Global, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { KeywayConfig } from '../config/keyway-config';
import { JwtSecret } from './jwt-secret';
import { JwtStrategy } from './jwt.strategy';
import { PolicyGuard } from './policy.guard';
import { ScopeResolvers } from './scope-resolvers';

/** What every module may use: the token signer and the registry of resource scopes. */
@Global()
@Module({
  providers: [{ provide: JwtSecret, inject: [KeywayConfig], useFactory: JwtSecret.fromConfig }, ScopeResolvers],
  exports: [JwtSecret, ScopeResolvers],
})
export class AuthCoreModule {}

/**
 * Authentication and the global policy guard. `directory` is the module that exports the
 * {@link MembershipDirectory} (the organizations module).
 */
@Module({})
export class AuthModule {
  static forRoot(directory: NonNullable<ModuleMetadata['imports']>[number]): DynamicModule {
    return {
      module: AuthModule,
      imports: [PassportModule, directory],
      providers: [JwtStrategy, { provide: APP_GUARD, useClass: PolicyGuard }],
    };
  }
}
