import { Module } from '@nestjs/common';
import { Catalog } from './domain/catalog';
import { loadCatalog } from './infrastructure/catalog-loader';

@Module({
  providers: [{ provide: Catalog, useFactory: () => loadCatalog() }],
  exports: [Catalog],
})
export class CatalogModule {}
