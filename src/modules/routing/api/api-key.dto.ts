import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiProperty({ description: 'What the key is for.', example: 'checkout-service production' })
  name!: string;

  @IsOptional()
  @IsDateString({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  @ApiPropertyOptional({ description: 'When the key stops working (default: never).', example: '2027-06-30T00:00:00.000Z' })
  expiresAt?: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  projectId!: string;

  @ApiProperty({ example: 'checkout-service production' })
  name!: string;

  @ApiProperty({ description: 'The first characters of the key, to recognise it.', example: 'kw-Zx81QmP0aB7c' })
  prefix!: string;

  @ApiProperty({ format: 'uuid', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })
  createdByUserId!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  expiresAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  revokedAt!: string | null;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'], example: 'active' })
  status!: 'active' | 'revoked' | 'expired';
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    description: 'The secret key, shown only in this response. Send it as `Authorization: Bearer kw-…` or `x-api-key`.',
    example: 'kw-Zx81QmP0aB7cEXAMPLEPLACEHOLDERxxxxxxxxxxxxxx',
  })
  key!: string;
}
