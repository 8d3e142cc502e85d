import { runServiceMain } from "../../platform/host/run-service.js";
import { libraryService } from "./service.js";

runServiceMain(libraryService);
