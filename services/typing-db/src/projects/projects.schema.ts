import { Schema } from 'mongoose';

export interface Project {
  database: string;
  id: number;
  description: string;
}

export const ProjectSchema = new Schema<Project>(
  { database: String, id: Number, description: String },
  { collection: 'projects', versionKey: false },
);
ProjectSchema.index({ database: 1, id: 1 }, { unique: true });

export const PROJECT = 'Project';
